import { expect, it } from "vitest";
import { nodeKindSpecs } from "../../lib/schemas/node-kinds";
import { graph } from "../../lib/engine/graph/graph-builder.test-support";
import { runWorkflow } from "../../lib/engine/run/run-workflow";
import { memoryPorts } from "../../lib/engine/testing/memory-ports";
import { gatewayWorld } from "../support/gateway-world";

/**
 * A Guardrail's judge through the real gateway (lib/gateway/gateway.ts, governed model, ledger)
 * to a real OpenAI-compatible server on loopback: the model's JSON verdict picks the branch, the
 * rule and the redacted text are what the model reads, and the call is in the usage ledger.
 */
const world = gatewayWorld("guardjudge");

//  start ──> check (guardrail, judged) ──pass──> ok
//                                       └─fail──> no
const judged = () =>
  graph()
    .start("start")
    .node("guardrail", "check", {
      ...nodeKindSpecs.guardrail.defaultConfig,
      value: "{{nodes.start.output.input}}",
      pii: ["email"],
      onFail: "redact",
      judgeModel: "judge",
      judgeRubric: "The reply must be polite.",
    })
    .output("ok", "passed: {{nodes.check.output.text}}")
    .output("no", "failed: {{nodes.check.output.reason}}")
    .edge("start", "check")
    .edge("check", "ok", "pass")
    .edge("check", "no", "fail")
    .build();

it("the model's verdict, read as structured output through the gateway, picks the branch; it never sees redacted data", async () => {
  await world.alias("judge", [{ modelId: "judge-model" }]);
  const { modelGateway } = await import("../../lib/gateway/gateway");
  const ports = {
    ...memoryPorts().ports,
    models: modelGateway({ workspaceId: world.builder.workspace.id, userId: world.builder.user.id, role: "BUILDER" }),
  };
  const run = (runId: string, input: string) =>
    runWorkflow({ runId, graph: judged(), input: { input }, depth: 0 }, ports, new AbortController().signal);

  world.llm.behave("judge-model", { kind: "answer", text: '{"pass": false, "reason": "It is rude."}' });
  expect(await run("g1", "Go away, jo@example.com.")).toEqual({
    status: "completed",
    output: "failed: email (1); the judge: It is rude.",
  });
  const asked = JSON.stringify(world.llm.requests.at(-1)?.messages);
  expect(asked).toContain("The reply must be polite.");
  expect(asked).toContain("Go away, [email].");
  expect(asked).not.toContain("jo@example.com");

  world.llm.behave("judge-model", { kind: "answer", text: '{"pass": true, "reason": "Polite."}' });
  expect(await run("g2", "Thank you!")).toEqual({ status: "completed", output: "passed: Thank you!" });
  expect((await world.ledgerRows()).length).toBe(2);
});
