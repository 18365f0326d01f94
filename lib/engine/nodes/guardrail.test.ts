import { describe, expect, it } from "vitest";
import { nodeKindSpecs } from "../../schemas/node-kinds";
import { graph } from "../graph/graph-builder.test-support";
import { validateGraph } from "../graph/validate-graph";
import type { ModelRequest } from "../ports";
import { runWorkflow } from "../run/run-workflow";
import { memoryPorts } from "../testing/memory-ports";

const never = new AbortController().signal;

/**
 *  start ──> check (guardrail) ──pass──> ok (output: "passed: {{text}}")
 *                              └─fail──> no (output: "failed: {{reason}}")
 */
function guarded(config: Record<string, unknown>) {
  return graph()
    .start("start")
    .node("guardrail", "check", {
      ...nodeKindSpecs.guardrail.defaultConfig,
      value: "{{nodes.start.output.input}}",
      ...config,
    })
    .output("ok", "passed: {{nodes.check.output.text}}")
    .output("no", "failed: {{nodes.check.output.reason}}")
    .edge("start", "check")
    .edge("check", "ok", "pass")
    .edge("check", "no", "fail")
    .build();
}

const spec = (g: ReturnType<typeof guarded>, input: unknown) => ({
  runId: "r1",
  graph: g,
  input: { input },
  depth: 0,
});

describe("Guardrail steps", () => {
  it("take the pass branch when nothing is found", async () => {
    const g = guarded({});
    expect(validateGraph(g)).toEqual([]);
    const fake = memoryPorts();
    expect(await runWorkflow(spec(g, "Thanks, your order ships Monday."), fake.ports, never)).toEqual({
      status: "completed",
      output: "passed: Thanks, your order ships Monday.",
    });
  });

  it("take the fail branch naming what was found, never the values", async () => {
    const g = guarded({ blockList: ["refund"] });
    const fake = memoryPorts();
    const result = await runWorkflow(spec(g, "Mail jo@example.com for a REFUND."), fake.ports, never);
    expect(result).toEqual({ status: "completed", output: "failed: email (1); blocked words (1)" });
    const step = (await fake.store.steps("r1")).find((s) => s.nodeId === "check");
    // Its input is the text it checked (not the template that made it), what it found masked.
    expect(step?.input).toEqual({ checked: "Mail [email] for a [blocked]." });
    expect(step?.output).toMatchObject({
      passed: false,
      findings: [
        { check: "pii", what: "email", count: 1 },
        { check: "blocked", what: "blocked", count: 1 },
      ],
    });
  });

  it("redact and go on along pass, or fail the step, as the builder chose", async () => {
    const redacting = guarded({ onFail: "redact", patterns: [{ name: "order", regex: "ORD-\\d{6}" }] });
    expect(
      await runWorkflow(spec(redacting, "Card 4242 4242 4242 4242 for ORD-123456"), memoryPorts().ports, never),
    ).toEqual({ status: "completed", output: "passed: Card [card] for [order]" });

    const failing = guarded({ onFail: "fail" });
    const fake = memoryPorts();
    const result = await runWorkflow(spec(failing, "call +1 415-555-0132"), fake.ports, never);
    expect(result).toMatchObject({ status: "failed", error: "check failed: Did not pass: phone (1)." });
    // The failed step keeps the text it checked, for its run's page, what it found masked.
    const step = (await fake.store.steps("r1")).find((s) => s.nodeId === "check");
    expect(step).toMatchObject({ status: "failed", input: { checked: "call [phone]" } });
  });

  it("check a value against a JSON Schema; a schema failure is not redacted away", async () => {
    const g = guarded({
      pii: [],
      onFail: "redact",
      jsonSchema: JSON.stringify({ type: "object", required: ["total"], properties: { total: { type: "number" } } }),
    });
    expect(await runWorkflow(spec(g, '{"total": 3}'), memoryPorts().ports, never)).toMatchObject({
      status: "completed",
      output: 'passed: {"total": 3}',
    });
    // An object from a reference is checked as itself.
    const fromObject = graph()
      .start("start")
      .transform("shape", '{"total": $number(nodes.start.output.input)}')
      .node("guardrail", "check", {
        ...nodeKindSpecs.guardrail.defaultConfig,
        pii: [],
        value: "{{nodes.shape.output}}",
        jsonSchema: JSON.stringify({ required: ["total"], properties: { total: { maximum: 10 } } }),
      })
      .output("ok", "{{nodes.check.output.passed}}")
      .chain("start", "shape", "check")
      .output("no", "{{nodes.check.output.reason}}")
      .edge("check", "ok", "pass")
      .edge("check", "no", "fail")
      .build();
    expect(await runWorkflow(spec(fromObject, "4"), memoryPorts().ports, never)).toEqual({
      status: "completed",
      output: true,
    });
    expect(await runWorkflow(spec(fromObject, "40"), memoryPorts().ports, never)).toEqual({
      status: "completed",
      output: "JSON Schema: /total must be <= 10",
    });
    expect(await runWorkflow(spec(g, '{"total": "three"}'), memoryPorts().ports, never)).toEqual({
      status: "completed",
      output: "failed: JSON Schema: /total must be number",
    });
  });

  it("ask the judge model by the rule, through the gateway, with the redacted text when redacting", async () => {
    const g = guarded({ pii: ["email"], onFail: "redact", judgeModel: "local/echo", judgeRubric: "Be polite." });
    const seen: ModelRequest[] = [];
    const fake = memoryPorts({
      answer: (request) => {
        seen.push(request);
        return request.instructions.includes("idiot")
          ? '{"pass": false, "reason": "It insults the reader."}'
          : '{"pass": true, "reason": "Polite."}';
      },
    });
    expect(await runWorkflow(spec(g, "Dear jo@example.com, thanks!"), fake.ports, never)).toEqual({
      status: "completed",
      output: "passed: Dear [email], thanks!",
    });
    expect(seen[0]?.instructions).toContain("Be polite.");
    expect(seen[0]?.instructions).not.toContain("jo@example.com");
    expect(seen[0]?.outputSchema).toMatchObject({ required: ["pass", "reason"] });
    expect(await runWorkflow({ ...spec(g, "You idiot."), runId: "r2" }, fake.ports, never)).toEqual({
      status: "completed",
      output: "failed: the judge: It insults the reader.",
    });
    const silly = memoryPorts({ answer: () => "maybe" });
    expect(await runWorkflow(spec(g, "hi"), silly.ports, never)).toMatchObject({
      status: "failed",
      error: expect.stringContaining("did not answer pass or fail"),
    });
  });

  it("send to a person, who may edit the text and let it through, or reject it down the fail branch", async () => {
    const g = guarded({ onFail: "review" });
    const fake = memoryPorts();
    const input = "Call me on +1 415-555-0132";
    expect(await runWorkflow(spec(g, input), fake.ports, never)).toEqual({ status: "waiting", waitingOn: ["check"] });
    const filed = fake.reviews.get("review_1")!.request;
    expect(filed).toMatchObject({ content: input, editable: true, outcomes: ["approved", "rejected"] });
    expect(filed.instructions).toContain("phone (1)");
    fake.decide("review_1", { outcome: "approved", content: "Call me", comment: "", reviewer: "rita" });
    expect(await runWorkflow(spec(g, input), fake.ports, never)).toEqual({
      status: "completed",
      output: "passed: Call me",
    });

    const other = memoryPorts();
    await runWorkflow(spec(g, input), other.ports, never);
    other.decide("review_1", { outcome: "rejected", content: null, comment: "No numbers.", reviewer: "rita" });
    expect(await runWorkflow(spec(g, input), other.ports, never)).toEqual({
      status: "completed",
      output: "failed: No numbers.",
    });
  });

  it("name the field of a config that cannot work", () => {
    const g = guarded({ pii: [], patterns: [{ name: "bad", regex: "(?<=x)y" }], jsonSchema: "[1]" });
    const problems = validateGraph(g).map((p) => p.message);
    expect(problems.join("\n")).toMatch(/Lookaround and backreferences/);
    expect(problems.join("\n")).toMatch(/A JSON Schema is a JSON object/);
    const none = guarded({ pii: [] });
    expect(
      validateGraph(none)
        .map((p) => p.message)
        .join("\n"),
    ).toMatch(/Turn on at least one check/);
  });
});
