import { describe, expect, it } from "vitest";
import { graph } from "../graph/graph-builder.test-support";
import { validateGraph } from "../graph/validate-graph";
import type { HttpCall, HttpDoor } from "../ports";
import { runWorkflow } from "../run/run-workflow";
import { memoryPorts } from "../testing/memory-ports";

const never = new AbortController().signal;

/** A door that answers from a function, recording each call (the real one is lib/egress). */
function door(
  answer: (call: HttpCall) => Awaited<ReturnType<HttpDoor["send"]>>,
  approvalFor: (request: Pick<HttpCall, "method" | "url">) => boolean = () => false,
) {
  const calls: HttpCall[] = [];
  const http: HttpDoor = {
    async send(call) {
      calls.push(call);
      return answer(call);
    },
    async needsApproval(request) {
      return approvalFor(request);
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

  describe("waiting for a person's approval", () => {
    const spec = (runId: string, g = approvalGraph()) => ({ runId, graph: g, input: { input: "cats" }, depth: 0 });
    //  start ──> call (POST with a secret header) ──> out
    function approvalGraph(extra: Record<string, unknown> = {}) {
      return httpGraph({
        method: "POST",
        url: "https://api.example.com/charges",
        headers: [
          { name: "Authorization", value: "Bearer {{secrets.key}}" },
          { name: "X-Topic", value: "{{nodes.start.output.input}}" },
        ],
        bodyType: "json",
        body: '{"amount": 10}',
        ...extra,
      });
    }
    const variables = { secrets: { key: "sk-abcdef" } };

    it("a destination that requires it for a POST: the reviewer sees the request without the secret, edits the body, and it is sent with the secret as set", async () => {
      const { http, calls } = door(
        () => ok('{"total": 3}'),
        (r) => r.method === "POST",
      );
      const fake = memoryPorts({ http, variables });
      expect(await runWorkflow(spec("r1"), fake.ports, never)).toEqual({ status: "waiting", waitingOn: ["call"] });
      expect(calls).toEqual([]);
      const filed = fake.reviews.get("review_1")!.request;
      expect(filed.instructions).toContain("send **POST** to **api.example.com**");
      expect(filed.instructions).toContain("The Authorization header carries a secret");
      expect(JSON.parse(String(filed.content))).toEqual({
        method: "POST",
        url: "https://api.example.com/charges",
        headers: { "X-Topic": "cats", "content-type": "application/json" },
        body: '{"amount": 10}',
      });
      expect(JSON.stringify(filed)).not.toContain("sk-abcdef");

      const edit = {
        method: "DELETE", // not editable: the step's method is sent
        url: "https://api.example.com/charges?dry=1",
        headers: { "X-Topic": "dogs", authorization: "Bearer stolen" },
        body: '{"amount": 5}',
      };
      fake.decide("review_1", { outcome: "approved", content: JSON.stringify(edit), comment: "", reviewer: "rita" });
      expect(await runWorkflow(spec("r1"), fake.ports, never)).toEqual({ status: "completed", output: { total: 3 } });
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        method: "POST",
        url: "https://api.example.com/charges?dry=1",
        headers: { "X-Topic": "dogs", Authorization: "Bearer sk-abcdef", "content-type": "application/json" },
        body: '{"amount": 5}',
        approver: "rita",
      });
      expect(calls[0]!.headers).not.toHaveProperty("authorization");
    });

    it("files the request for someone else to decide, unless the step lets the person who started the run approve it (not a destination's required approval)", async () => {
      for (const allowSelfApproval of [false, true]) {
        const fake = memoryPorts({ http: door(() => ok("{}")).http, variables });
        const g = approvalGraph({ askApproval: true, allowSelfApproval });
        expect(await runWorkflow(spec("r1", g), fake.ports, never)).toMatchObject({ status: "waiting" });
        expect(fake.reviews.get("review_1")!.request.allowSelfApproval).toBe(allowSelfApproval);
      }
      // A destination that requires approval wants someone else, whatever the step says.
      const fake = memoryPorts({
        http: door(
          () => ok("{}"),
          (r) => r.method === "POST",
        ).http,
        variables,
      });
      await runWorkflow(spec("r1", approvalGraph({ askApproval: true, allowSelfApproval: true })), fake.ports, never);
      expect(fake.reviews.get("review_1")!.request.allowSelfApproval).toBe(false);
    });

    it("a reviewer never sees a secret, not even one in the host", async () => {
      const { http } = door(() => ok("{}"));
      const fake = memoryPorts({ http, variables });
      const g = approvalGraph({ askApproval: true, url: "https://{{secrets.key}}.example.com/charges" });
      expect(await runWorkflow(spec("r1", g), fake.ports, never)).toEqual({ status: "waiting", waitingOn: ["call"] });
      const filed = fake.reviews.get("review_1")!.request;
      expect(JSON.stringify(filed)).not.toContain("sk-abcdef");
      expect(filed.instructions).toContain("[secret:key]");
      expect(filed.instructions).toContain("The URL, the Authorization header carry a secret");
    });

    it("a GET to the same destination, or a step that does not ask, is sent at once", async () => {
      const { http, calls } = door(
        () => ok("{}"),
        (r) => r.method !== "GET",
      );
      const fake = memoryPorts({ http, variables });
      const g = approvalGraph({ method: "GET", bodyType: "none" });
      expect(await runWorkflow(spec("r1", g), fake.ports, never)).toMatchObject({ status: "completed" });
      expect(calls).toHaveLength(1);
      expect(fake.reviews.size).toBe(0);
    });

    it("the step may ask itself; a rejection fails it naming the reviewer, and a secret never follows a changed host", async () => {
      const { http, calls } = door(() => ok("{}"));
      let fake = memoryPorts({ http, variables });
      const g = approvalGraph({ askApproval: true, method: "GET", bodyType: "none" });
      expect(await runWorkflow(spec("r1", g), fake.ports, never)).toEqual({ status: "waiting", waitingOn: ["call"] });
      fake.decide("review_1", { outcome: "rejected", content: null, comment: "Not today.", reviewer: "rita" });
      expect(await runWorkflow(spec("r1", g), fake.ports, never)).toMatchObject({
        status: "failed",
        error: expect.stringContaining("rita did not approve the request: Not today."),
      });

      fake = memoryPorts({ http, variables });
      await runWorkflow(spec("r2", g), fake.ports, never);
      const moved = { url: "https://other.example.com/steal", headers: {} };
      fake.decide("review_1", {
        outcome: "approved",
        content: JSON.stringify(moved),
        comment: "",
        reviewer: "mallory",
      });
      expect(await runWorkflow(spec("r2", g), fake.ports, never)).toMatchObject({
        status: "failed",
        error: expect.stringContaining("mallory changed where the request goes (other.example.com)"),
      });
      expect(calls).toEqual([]);
    });
  });
});
