import { NextRequest } from "next/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";

/**
 * The run event stream leaves nothing behind (issue #15, item 4): an unknown run id, or
 * another workspace's, is a 404 answered before the stream opens (its subscription dropped), so
 * a flood of such requests leaves no listener and no ping timer; a stream that ends takes its
 * own with it.
 * The requests go through the real route (GET /api/runs/:id/events, API-key callers).
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let alice: Viewer;
let mallory: Viewer;
let keys: { alice: string; mallory: string };
let runId: string;
let mod: {
  db: typeof import("../../lib/db/client");
  route: typeof import("../../app/api/runs/[id]/events/route");
  stream: typeof import("../../lib/runs/run-event-stream");
  live: typeof import("../../lib/runs/live-events");
  workflows: typeof import("../../lib/workflows/workflows");
  start: typeof import("../../lib/runs/start-run");
  queue: typeof import("../../lib/platform/queues");
};

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("sse");
  mod = {
    db: await import("../../lib/db/client"),
    route: await import("../../app/api/runs/[id]/events/route"),
    stream: await import("../../lib/runs/run-event-stream"),
    live: await import("../../lib/runs/live-events"),
    workflows: await import("../../lib/workflows/workflows"),
    start: await import("../../lib/runs/start-run"),
    queue: await import("../../lib/platform/queues"),
  };
  const prisma = await mod.db.db();
  [alice] = await seedWorkspace(prisma, "alices", [{ email: "alice@example.com", role: "ADMIN" }]);
  [mallory] = await seedWorkspace(prisma, "mallorys", [{ email: "mallory@example.com", role: "ADMIN" }]);
  const { createApiKey } = await import("../../lib/auth/api-keys");
  keys = {
    alice: (await createApiKey(alice, { name: "test" })).key,
    mallory: (await createApiKey(mallory, { name: "test" })).key,
  };
  //  start ──> out      (started, never executed: its stream stays open until the caller leaves)
  const wf = await mod.workflows.createWorkflow(alice.workspace.id, alice.user.id, {
    name: "Waits",
    description: "",
    graph: {
      nodes: [
        { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
        { id: "out", kind: "output", label: "Out", position: { x: 1, y: 0 }, config: { value: "done" } },
      ],
      edges: [{ id: "e1", source: "start", target: "out" }],
    },
  } as never);
  runId = (await mod.start.startRun(alice, wf.id, { input: {}, mode: "draft" })).id;
  // Two events already recorded, as if a worker had begun: the stream replays them first.
  await prisma.runEvent.createMany({
    data: [
      { runId, seq: 1, type: "run.started", payload: {} },
      { runId, seq: 2, type: "step.started", nodeId: "start", payload: {} },
    ],
  });
});
afterAll(async () => {
  await mod?.queue.stopQueue();
  await scratch?.done();
});

function events(id: string, key: string, signal?: AbortSignal) {
  const request = new NextRequest(`http://localhost/api/runs/${id}/events`, {
    headers: { authorization: `Bearer ${key}` },
    signal,
  });
  return mod.route.GET(request, { params: Promise.resolve({ id }) });
}
const held = () => ({ streams: mod.stream.openRunEventStreams(), listeners: mod.live.runEventListenerCount() });

it("answers 404 to unknown and foreign run ids, and many of them leave no listener or timer behind", async () => {
  expect(held()).toEqual({ streams: 0, listeners: 0 });
  const answers = await Promise.all([
    ...Array.from({ length: 100 }, (_, i) => events(`no-such-run-${i}`, keys.mallory)),
    ...Array.from({ length: 100 }, () => events(runId, keys.mallory)), // alice's run, mallory's key
  ]);
  expect(answers.map((r) => r.status)).toEqual(Array(200).fill(404));
  expect(await answers[150]!.json()).toMatchObject({ error: { code: "not_found", message: "Run not found" } });
  expect(held()).toEqual({ streams: 0, listeners: 0 });
});

it("streams the owner's run, and lets go of everything when the caller leaves", async () => {
  const leave = new AbortController();
  const response = await events(runId, keys.alice, leave.signal);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/event-stream");
  const reader = response.body!.getReader();
  // What is ready at once (the retry hint and the replayed events) comes in one piece.
  const first = new TextDecoder().decode((await reader.read()).value);
  expect(first).toMatch(/^retry: 1000\n\nid: 1\ndata: \{.*"seq":1.*\n\nid: 2\ndata: \{.*"seq":2.*\n\n$/);
  expect(held()).toEqual({ streams: 1, listeners: 1 });
  leave.abort();
  await reader.cancel().catch(() => undefined);
  expect(held()).toEqual({ streams: 0, listeners: 0 });
});

it("batches a run's token deltas: a burst travels as one event, a trickle once per 50 ms at most, text whole and in order", async () => {
  const heard: { nodeId?: string | null; text: string }[] = [];
  const stop = await mod.live.subscribeRunEvents("run-with-deltas", (e) =>
    heard.push({ nodeId: e.nodeId, text: (e.payload as { text: string }).text }),
  );
  try {
    const deltas = mod.live.runDeltas("run-with-deltas");
    const burst = Array.from({ length: 200 }, (_, i) => `w${i} `);
    for (const text of burst) deltas.add("a", text);
    deltas.add("b", "other");
    await deltas.flush();
    await expect.poll(() => heard.length).toBe(2);
    expect(heard).toEqual([
      { nodeId: "a", text: burst.join("") },
      { nodeId: "b", text: "other" },
    ]);
    heard.length = 0;
    // A trickle: a token every 10 ms for 200 ms.
    const trickle = Array.from({ length: 20 }, (_, i) => `t${i} `);
    for (const text of trickle) {
      deltas.add("a", text);
      await new Promise((r) => setTimeout(r, 10));
    }
    await deltas.flush();
    await expect.poll(() => heard.map((h) => h.text).join("")).toBe(trickle.join(""));
    expect(heard.length).toBeGreaterThan(1);
    expect(heard.length).toBeLessThanOrEqual(6);
  } finally {
    stop();
  }
});

it("keeps the text each running step streamed so far, for a follower that comes in the middle; gone when the step ends", async () => {
  const runId = "run-with-partial-text";
  const stop = await mod.live.subscribeRunEvents(runId, () => {});
  try {
    const deltas = mod.live.runDeltas(runId);
    deltas.add("writer", "Once upon ");
    await deltas.flush();
    deltas.add("writer", "a time");
    deltas.add("other", "aside");
    await deltas.flush();
    await expect
      .poll(() => mod.live.partialTexts(runId))
      .toEqual([
        { nodeId: "writer", text: "Once upon a time" },
        { nodeId: "other", text: "aside" },
      ]);
    // The step's end (a stored event) drops its text; the run's end drops the rest.
    mod.live.publishRunEvents(runId, [{ seq: 1, type: "step.completed", nodeId: "writer" }]);
    await expect.poll(() => mod.live.partialTexts(runId)).toEqual([{ nodeId: "other", text: "aside" }]);
    mod.live.publishRunEvents(runId, [{ seq: 2, type: "run.completed" }]);
    await expect.poll(() => mod.live.partialTexts(runId)).toEqual([]);
  } finally {
    stop();
  }
});
