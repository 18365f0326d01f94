import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";

/**
 * A real run (the built-in demo model, a human review, a real database) executed in two
 * pieces, around a decision, with an in-memory exporter: the spans a collector would get.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let admin: Viewer;
let reviewer: Viewer;
const exporter = new InMemorySpanExporter();
let mod: {
  tracing: typeof import("../../lib/tracing/tracing");
  db: typeof import("../../lib/db/client");
  workflows: typeof import("../../lib/workflows/workflows");
  start: typeof import("../../lib/runs/start-run");
  execute: typeof import("../../lib/execution/execute-run");
  decide: typeof import("../../lib/review/decide-review");
  queue: typeof import("../../lib/platform/queues");
};

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("tracing");
  mod = {
    tracing: await import("../../lib/tracing/tracing"),
    db: await import("../../lib/db/client"),
    workflows: await import("../../lib/workflows/workflows"),
    start: await import("../../lib/runs/start-run"),
    execute: await import("../../lib/execution/execute-run"),
    decide: await import("../../lib/review/decide-review"),
    queue: await import("../../lib/platform/queues"),
  };
  [admin, reviewer] = await seedWorkspace(await mod.db.db(), "traced", [
    { email: "ada@example.com", role: "ADMIN" },
    { email: "rita@example.com", role: "REVIEWER" },
  ]);
  mod.tracing.configureTracing(exporter);
});

afterAll(async () => {
  mod?.tracing.configureTracing(null);
  await mod?.queue.stopQueue();
  await scratch?.done();
});

const n = (
  id: string,
  kind: "start" | "agent" | "human-review" | "output",
  config: Record<string, unknown>,
  x: number,
) => ({ id, kind, label: id, position: { x, y: 0 }, config });

describe("OpenTelemetry spans of a run", () => {
  it("puts the run's pieces, its steps, the model call (GenAI attributes) and the review wait in one trace, nested", async () => {
    const wf = await mod.workflows.createWorkflow(admin.workspace.id, admin.user.id, {
      name: "Traced",
      description: "",
      graph: {
        nodes: [
          n("start", "start", { fields: [] }, 0),
          n("draft", "agent", { model: "demo", instructions: "Write a line about otters." }, 1),
          n("check", "human-review", { instructions: "Check it", content: "{{nodes.draft.output.text}}" }, 2),
          n("out", "output", { value: "{{nodes.check.output.text}}" }, 3),
        ],
        edges: [
          { id: "e1", source: "start", target: "draft" },
          { id: "e2", source: "draft", target: "check" },
          { id: "e3", source: "check", target: "out", sourceHandle: "approved" },
        ],
      },
    });
    const { id: runId } = await mod.start.startRun(admin, wf.id, { input: {}, mode: "draft" });
    expect(await mod.execute.executeRun(runId)).toMatchObject({ status: "waiting" });
    const review = await (await mod.db.db()).review.findFirstOrThrow({ where: { runId } });
    await mod.decide.decideReview(reviewer, review.id, { outcome: "approved", comment: "" });
    expect(await mod.execute.executeRun(runId)).toMatchObject({ status: "completed" });
    await mod.tracing.flushTraces();

    const spans = exporter.getFinishedSpans();
    const traceId = mod.tracing.traceIdOf(runId);
    const ofRun = spans.filter((s) => s.spanContext().traceId === traceId);
    const named = (name: string) => ofRun.filter((s) => s.name === name);
    const parentOf = (s: ReadableSpan) => ofRun.find((p) => p.spanContext().spanId === s.parentSpanContext?.spanId);

    // Two pieces of the run (before and after the review), in the same trace.
    const pieces = named("workflow.run " + wf.id);
    expect(pieces.map((p) => p.attributes["flowdeck.run.status"])).toEqual(["waiting", "completed"]);

    // Steps are children of the piece that ran them.
    const draft = named("step draft")[0]!;
    expect(draft.attributes).toMatchObject({
      "flowdeck.step.kind": "agent",
      "flowdeck.step.status": "completed",
      "flowdeck.run.id": runId,
    });
    expect(parentOf(draft)).toBe(pieces[0]);
    expect(parentOf(named("step out")[0]!)).toBe(pieces[1]);
    expect(named("step check").map((s) => s.attributes["flowdeck.step.status"])).toEqual(["waiting", "completed"]);

    // The model call, nested under its step, with the GenAI semantic conventions.
    const chat = named("chat demo")[0]!;
    expect(parentOf(chat)).toBe(draft);
    expect(chat.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "demo",
      "flowdeck.gateway.status": "ok",
    });
    expect(chat.attributes["gen_ai.usage.input_tokens"]).toBeGreaterThan(0);
    expect(chat.attributes["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);
    expect(chat.startTime[0] * 1e3 + chat.startTime[1] / 1e6).toBeLessThanOrEqual(
      chat.endTime[0] * 1e3 + chat.endTime[1] / 1e6,
    );

    // The time in review is its own span, from filing to decision.
    const wait = named("review.wait")[0]!;
    expect(wait.attributes).toMatchObject({
      "flowdeck.review.id": review.id,
      "flowdeck.review.outcome": "approved",
      "flowdeck.review.decided_by": "rita",
    });
  }, 60_000);

  it("marks a failed step and its run as errors, with the message", async () => {
    exporter.reset();
    const wf = await mod.workflows.createWorkflow(admin.workspace.id, admin.user.id, {
      name: "Broken",
      description: "",
      graph: {
        nodes: [
          n("start", "start", { fields: [] }, 0),
          n("write", "agent", { model: "no-such-model", instructions: "x" }, 1),
          n("out", "output", { value: "x" }, 2),
        ],
        edges: [
          { id: "e1", source: "start", target: "write" },
          { id: "e2", source: "write", target: "out" },
        ],
      },
    });
    const { id: runId } = await mod.start.startRun(admin, wf.id, { input: {}, mode: "draft" });
    expect(await mod.execute.executeRun(runId)).toMatchObject({ status: "failed" });
    await mod.tracing.flushTraces();
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === mod.tracing.traceIdOf(runId));
    const step = spans.find((s) => s.name === "step write")!;
    expect(step.status.code).toBe(2); // ERROR
    expect(step.status.message).toMatch(/no-such-model/);
    expect(spans.find((s) => s.name.startsWith("workflow.run"))!.status.code).toBe(2);
  }, 60_000);

  it("never carries a secret: a failed HTTP step whose error would name one has it redacted in its span", async () => {
    exporter.reset();
    const secret = "sk-traced-9b1f2c7d";
    const { createVariable } = await import("../../lib/workspaces/variables");
    await createVariable(admin, { name: "tenant", value: secret, secret: true });
    const wf = await mod.workflows.createWorkflow(admin.workspace.id, admin.user.id, {
      name: "Leaky host",
      description: "",
      graph: {
        nodes: [
          n("start", "start", { fields: [] }, 0),
          // No destination allows this host: the door refuses it, naming the host (which holds the secret).
          {
            id: "call",
            kind: "http",
            label: "call",
            position: { x: 1, y: 0 },
            config: { url: "https://{{secrets.tenant}}.example.com/x", retries: 0 },
          },
          n("out", "output", { value: "x" }, 2),
        ],
        edges: [
          { id: "e1", source: "start", target: "call" },
          { id: "e2", source: "call", target: "out" },
        ],
      },
    });
    const { id: runId } = await mod.start.startRun(admin, wf.id, { input: {}, mode: "draft" });
    expect(await mod.execute.executeRun(runId)).toMatchObject({ status: "failed" });
    await mod.tracing.flushTraces();
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === mod.tracing.traceIdOf(runId));
    const seen = JSON.stringify(
      spans.map((s) => ({ name: s.name, attributes: s.attributes, status: s.status, events: s.events })),
    );
    expect(seen).toContain("[secret:tenant]");
    expect(seen).not.toContain(secret);
  }, 60_000);
});
