import { describe, expect, it } from "vitest";
import { graph } from "../graph/graph-builder.test-support";
import { validateGraph } from "../graph/validate-graph";
import type { HttpCall, HttpDoor } from "../ports";
import { runWorkflow } from "../run/run-workflow";
import { memoryPorts } from "../testing/memory-ports";

const never = new AbortController().signal;

/** A door that answers from a function, recording each call (the real one is lib/egress). */
function door(answer: (call: HttpCall) => Awaited<ReturnType<HttpDoor["send"]>>) {
  const calls: HttpCall[] = [];
  const http: HttpDoor = {
    async send(call) {
      calls.push(call);
      return answer(call);
    },
  };
  return { http, calls };
}

const ok = (body: string, type = "application/json") => ({
  status: 200,
  statusText: "OK",
  headers: { "content-type": type },
  body,
  url: "https://api.example.com/x",
  attempts: 1,
});

function httpGraph(config: Record<string, unknown>) {
  //  start ──> call ──> out
  return graph()
    .start("start")
    .node("http", "call", { url: "https://api.example.com/x", ...config })
    .output("out", "{{nodes.call.output.body}}")
    .chain("start", "call", "out")
    .build();
}

describe("HTTP Request steps", () => {
  it("send the filled-in request (secrets and variables resolved) and give the parsed body; the record shows the secret by name", async () => {
    const { http, calls } = door(() => ok('{"total": 3}'));
    const fake = memoryPorts({ http, variables: { vars: { region: "eu" }, secrets: { key: "sk-abcdef" } } });
    const g = httpGraph({
      method: "POST",
      url: "https://api.example.com/{{vars.region}}/charges",
      headers: [{ name: "Authorization", value: "Bearer {{secrets.key}}" }],
      bodyType: "json",
      body: '{"topic": "{{nodes.start.output.input}}"}',
      timeoutSeconds: 5,
      retries: 1,
      maxResponseKb: 2,
    });
    expect(validateGraph(g)).toEqual([]);
    const result = await runWorkflow({ runId: "r1", graph: g, input: { input: "cats" }, depth: 0 }, fake.ports, never);
    expect(result).toEqual({ status: "completed", output: { total: 3 } });
    expect(calls[0]).toMatchObject({
      method: "POST",
      url: "https://api.example.com/eu/charges",
      headers: { Authorization: "Bearer sk-abcdef", "content-type": "application/json" },
      body: '{"topic": "cats"}',
      timeoutMs: 5_000,
      retries: 1,
      maxResponseBytes: 2_048,
      context: { runId: "r1", nodeId: "call" },
    });
    const step = (await fake.store.steps("r1")).find((s) => s.nodeId === "call")!;
    expect(step.input).toMatchObject({ headers: { Authorization: "Bearer [secret:key]" } });
    expect(JSON.stringify([await fake.store.steps("r1"), fake.store.events])).not.toContain("sk-abcdef");
  });

  it("fail on a 4xx or 5xx answer unless told not to, and on a body that is not JSON once filled in", async () => {
    const { http, calls } = door(() => ({ ...ok("nope", "text/plain"), status: 404, statusText: "Not Found" }));
    let fake = memoryPorts({ http });
    expect(
      await runWorkflow({ runId: "r1", graph: httpGraph({}), input: { input: "x" }, depth: 0 }, fake.ports, never),
    ).toMatchObject({
      status: "failed",
      error: expect.stringContaining("GET api.example.com answered 404 Not Found"),
    });
    fake = memoryPorts({ http });
    expect(
      await runWorkflow(
        { runId: "r2", graph: httpGraph({ failOnErrorStatus: false }), input: { input: "x" }, depth: 0 },
        fake.ports,
        never,
      ),
    ).toEqual({ status: "completed", output: "nope" });
    const sentBefore = calls.length;
    fake = memoryPorts({ http });
    const bad = httpGraph({ method: "POST", bodyType: "json", body: '{"a": {{nodes.start.output.input}}}' });
    expect(
      await runWorkflow({ runId: "r3", graph: bad, input: { input: "not json" }, depth: 0 }, fake.ports, never),
    ).toMatchObject({
      status: "failed",
      error: expect.stringContaining("Body: not valid JSON once filled in"),
    });
    expect(calls.length).toBe(sentBefore); // nothing was sent
  });

  it("name a missing secret, and pass on the door's refusal as the step's error", async () => {
    const { http } = door(() => {
      throw new Error("evil.example.com:443 is not an allowed destination of this workspace");
    });
    let fake = memoryPorts({ http });
    const g = httpGraph({ headers: [{ name: "X-Key", value: "{{secrets.gone}}" }] });
    expect(
      await runWorkflow({ runId: "r1", graph: g, input: { input: "x" }, depth: 0 }, fake.ports, never),
    ).toMatchObject({
      status: "failed",
      error: expect.stringContaining("Header X-Key: {{secrets.gone}}: this workspace has no secret “gone”"),
    });
    fake = memoryPorts({ http });
    expect(
      await runWorkflow({ runId: "r2", graph: httpGraph({}), input: { input: "x" }, depth: 0 }, fake.ports, never),
    ).toMatchObject({
      status: "failed",
      error: expect.stringContaining("is not an allowed destination of this workspace"),
    });
  });
});
