import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "@playwright/test";
import { newPerson, setUpFirstAdmin, signedInApi } from "./support/people";
import { startStudio, type Studio } from "./support/studio";
import { addLoopbackModels } from "./support/loopback-model";
import { startWorkerProcess, type WorkerProcess } from "./support/worker-process";
import type { FakeLlmServer } from "../test/support/fake-llm-server";
import {
  agent,
  callsOf,
  counted,
  doneCounts,
  node,
  start,
  startCountingModel,
  twoSlowStepsOn,
  workflowsVia,
} from "./support/worker-workflows";

/**
 * Reliability with real processes on a real Postgres: the studio serves the API only
 * (FLOWDECK_IN_PROCESS_WORKER=false) and separate `npm run worker` processes execute runs.
 * Worker processes need a shared Postgres, so these tests run in the Postgres pass of CI.
 */
test.skip(
  !process.env.DATABASE_URL,
  "worker processes need PostgreSQL (DATABASE_URL); the embedded database has its in-process worker only",
);
test.describe.configure({ mode: "serial", timeout: 180_000 });

const LEASE = { FLOWDECK_RUN_LEASE_SECONDS: "2" };
let studio: Studio;
let api: APIRequestContext;
let llm: FakeLlmServer;
const workers: WorkerProcess[] = [];
const { publish, startRun, readRun } = workflowsVia(() => api);

test.beforeAll(async () => {
  test.setTimeout(120_000);
  studio = await startStudio({ FLOWDECK_IN_PROCESS_WORKER: "false", ...LEASE });
  const admin = newPerson("Admin");
  await setUpFirstAdmin(studio.url, admin);
  api = await signedInApi(studio.url, admin);
  llm = await startCountingModel(api);
});

test.afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.kill("SIGKILL")));
});

test.afterAll(async () => {
  await llm?.close();
  await api?.dispose();
  await studio?.stop();
});

const callsFor = (step: string) => callsOf(llm, step);

test("a worker killed with SIGKILL mid-run: another worker finishes the run, and the model server saw no finished step twice", async () => {
  // Four agent steps of ~1 s each on the counting loopback model.
  const id = await publish("Crash test", [
    node("start", "start", start, 0),
    counted("a", 1),
    counted("b", 2),
    counted("c", 3),
    counted("d", 4),
    node("out", "output", { value: "{{nodes.d.output.text}}" }, 5),
  ]);
  const first = await startWorkerProcess(studio, LEASE);
  workers.push(first);
  const runId = await startRun(id, "crash");
  // Kill the first worker while step b runs (a done, b started): look often, b lasts about a second.
  await expect
    .poll(async () => (await readRun(runId)).steps.find((s) => s.nodeId === "b")?.status, {
      timeout: 30_000,
      intervals: [50],
    })
    .toBe("running");
  await first.kill("SIGKILL");
  const second = await startWorkerProcess(studio, LEASE);
  workers.push(second);

  await expect.poll(async () => (await readRun(runId)).status, { timeout: 60_000 }).toBe("COMPLETED");
  const run = await readRun(runId);
  expect(doneCounts(run.steps)).toEqual({ start: 1, a: 1, b: 1, c: 1, d: 1, out: 1 });
  // a finished before the crash, on its first attempt; b ran again as attempt 2 after it.
  expect(run.steps.filter((s) => s.nodeId === "a").map((s) => s.attempt)).toEqual([1]);
  expect(run.steps.filter((s) => s.nodeId === "b").map((s) => [s.attempt, s.status])).toEqual([
    [1, "interrupted"],
    [2, "done"],
  ]);
  expect(second.settledRuns()).toEqual([runId]);
  expect(second.output()).toContain("taking over a run whose worker stopped");
  // The model server's count: a (finished before the crash) once; b twice (the call cut off
  // by the kill, and its re-run); c and d once.
  expect({ a: callsFor("a"), b: callsFor("b"), c: callsFor("c"), d: callsFor("d") }).toEqual({
    a: 1,
    b: 2,
    c: 1,
    d: 1,
  });
});

test("a worker paused past its lease (SIGSTOP) and woken after another finished the run writes nothing more", async () => {
  // Steps of their own names: the model server's counts are shared by the whole file.
  const id = await publish("Pause test", [
    node("start", "start", start, 0),
    counted("pa", 1),
    counted("pb", 2),
    node("out", "output", { value: "{{nodes.pb.output.text}}" }, 3),
  ]);
  const paused = await startWorkerProcess(studio, LEASE);
  workers.push(paused);
  const runId = await startRun(id, "pause");
  await expect
    .poll(async () => (await readRun(runId)).steps.find((s) => s.nodeId === "pa")?.status, {
      timeout: 30_000,
      intervals: [50],
    })
    .toBe("running");
  process.kill(paused.pid, "SIGSTOP");
  workers.push(await startWorkerProcess(studio, LEASE));
  await expect.poll(async () => (await readRun(runId)).status, { timeout: 60_000 }).toBe("COMPLETED");
  const before = await (await api.get(`/api/runs/${runId}/events`)).text();
  // Woken: its model call's answer is there, and it would record pa's end and go on to pb. Its
  // lease renewal, or else its next write (which needs the lease), stops it first; which one
  // wins is a race (the write's check alone: test/integration/sql-run-store.test.ts). After a
  // long pause the model server may have dropped its stream too: then the step's failure meets
  // the lost lease and the run is handed back, which is the same letting go.
  process.kill(paused.pid, "SIGCONT");
  await expect
    .poll(() => paused.output(), { timeout: 15_000 })
    .toMatch(/another worker took this run over|Another worker took this run over|run handed back to the queue/);
  await new Promise((r) => setTimeout(r, 1_000));
  const run = await readRun(runId);
  expect(run.status).toBe("COMPLETED");
  // The paused worker's attempt stays as the other worker found it; nothing came after the end.
  expect(run.steps.filter((s) => s.nodeId === "pa").map((s) => [s.attempt, s.status])).toEqual([
    [1, "interrupted"],
    [2, "done"],
  ]);
  expect(await (await api.get(`/api/runs/${runId}/events`)).text()).toBe(before);
  expect(callsFor("pb")).toBe(1);
  expect(paused.settledRuns()).toEqual([]);
});

test("with the default lease, a run whose worker is killed continues on another worker within 5 s (three times)", async () => {
  // A model that takes about 5 s per step, so the step is surely running when its worker dies.
  llm.behave("slower-model", {
    kind: "answer",
    text: "one two three four five six seven eight nine ten",
    chunkDelayMs: 500,
  });
  await addLoopbackModels(api, llm.baseUrl, { slower: "slower-model" });
  const id = await publish("Takeover", [
    node("start", "start", start, 0),
    node("a", "agent", { model: "slower", instructions: "Step a: write", useRunMemory: false }, 1),
    node("out", "output", { value: "{{nodes.a.output.text}}" }, 2),
  ]);
  for (let round = 0; round < 3; round += 1) {
    const pair = [await startWorkerProcess(studio), await startWorkerProcess(studio)];
    workers.push(...pair);
    const runId = await startRun(id, `takeover ${round}`);
    await expect
      .poll(async () => (await readRun(runId)).steps.find((s) => s.nodeId === "a")?.status, {
        timeout: 30_000,
        intervals: [100],
      })
      .toBe("running");
    const holder = pair.find((w) => w.output().includes(runId))!;
    const killed = Date.now();
    await holder.kill("SIGKILL");
    await expect
      .poll(async () => (await readRun(runId)).steps.some((s) => s.nodeId === "a" && s.attempt === 2), {
        timeout: 30_000,
        intervals: [100],
      })
      .toBe(true);
    const seconds = (Date.now() - killed) / 1000;
    expect(seconds, `round ${round}: taken over after ${seconds} s`).toBeLessThanOrEqual(5);
    await expect.poll(async () => (await readRun(runId)).status, { timeout: 60_000 }).toBe("COMPLETED");
    const steps = (await readRun(runId)).steps.filter((s) => s.nodeId === "a").map((s) => [s.attempt, s.status]);
    expect(steps).toEqual([
      [1, "interrupted"],
      [2, "done"],
    ]);
    await Promise.all(workers.splice(0).map((w) => w.kill("SIGKILL")));
  }
});

test("two workers, 50 concurrent runs: every run finishes exactly once, and both workers share the work", async () => {
  const id = await publish("Load test", [
    node("start", "start", start, 0),
    agent("a", 1, 2),
    agent("b", 2, 2),
    node("out", "output", { value: "{{nodes.b.output.text}}" }, 3),
  ]);
  // Leases of 6 s, not the takeover tests' 2 s: on a machine loaded by the rest of the suite, a
  // pause of a second or two must not look like a dead worker (a takeover repeats a step).
  const roomy = { FLOWDECK_RUN_LEASE_SECONDS: "6", FLOWDECK_WORKER_CONCURRENCY: "10" };
  workers.push(await startWorkerProcess(studio, roomy), await startWorkerProcess(studio, roomy));
  const runIds = await Promise.all(Array.from({ length: 50 }, (_, i) => startRun(id, `load ${i}`)));
  await expect
    .poll(async () => (await Promise.all(runIds.map(readRun))).filter((r) => r.status === "COMPLETED").length, {
      timeout: 120_000,
      intervals: [1000],
    })
    .toBe(50);
  // A step run twice means a lease ran out: the workers' late renewals, if they logged any, say why.
  const late = workers.flatMap((w) => w.lateRenewals()).join("\n");
  for (const runId of runIds) {
    const run = await readRun(runId);
    expect(doneCounts(run.steps)).toEqual({ start: 1, a: 1, b: 1, out: 1 });
    expect(
      run.steps.every((s) => s.attempt === 1),
      late,
    ).toBe(true);
    const events = await (await api.get(`/api/runs/${runId}/events`)).text();
    expect(events.match(/"type":"run.completed"/g)).toHaveLength(1);
  }
  const [w1, w2] = workers.map((w) => w.settledRuns());
  expect([...w1!, ...w2!].sort()).toEqual([...runIds].sort()); // each run settled once, by one worker
  expect(w1!.length).toBeGreaterThan(0);
  expect(w2!.length).toBeGreaterThan(0);
});

test("a run waiting for review survives a restart of every process, and resumes once decided", async () => {
  const review = node(
    "approve",
    "human-review",
    { instructions: "Check it", content: "{{nodes.a.output.text}}", reviewerRole: "ADMIN", allowSelfApproval: true },
    2,
  );
  const nodes = [
    node("start", "start", start, 0),
    agent("a", 1),
    review,
    node("out", "output", { value: "{{nodes.approve.output.text}}" }, 3),
  ];
  const id = await publish("Review restart", nodes, { approve: "approved" });
  workers.push(await startWorkerProcess(studio, LEASE));
  const runId = await startRun(id, "restart");
  await expect.poll(async () => (await readRun(runId)).status, { timeout: 30_000 }).toBe("WAITING");

  await Promise.all(workers.splice(0).map((w) => w.kill("SIGTERM")));
  await studio.restart();
  workers.push(await startWorkerProcess(studio, LEASE));

  const { items: reviews } = await (await api.get("/api/reviews")).json();
  const pending = reviews.find((r: { runId: string }) => r.runId === runId);
  expect(pending).toBeTruthy();
  const decided = await api.post(`/api/reviews/${pending.id}/decision`, { data: { outcome: "approved" } });
  expect(decided.status(), await decided.text()).toBe(200);
  await expect.poll(async () => (await readRun(runId)).status, { timeout: 30_000 }).toBe("COMPLETED");
  expect(doneCounts((await readRun(runId)).steps)).toEqual({ start: 1, a: 1, approve: 1, out: 1 });
});

test("cancel reaches a run executing in another process at once, and stops its model call", async () => {
  const id = await publish("Cancel test", [
    node("start", "start", start, 0),
    agent("long", 1, 400),
    node("out", "output", { value: "{{nodes.long.output.text}}" }, 2),
  ]);
  workers.push(await startWorkerProcess(studio, LEASE));
  const runId = await startRun(id, "cancel");
  await expect
    .poll(async () => (await readRun(runId)).steps.find((s) => s.nodeId === "long")?.status, { timeout: 30_000 })
    .toBe("running");
  const asked = Date.now();
  const res = await api.post(`/api/runs/${runId}/cancel`, { data: {} });
  expect(res.status(), await res.text()).toBe(200);
  // The step would stream for ~10 s; the cancel lands well before the 2 s lease renewal matters.
  await expect.poll(async () => (await readRun(runId)).status, { timeout: 5_000, intervals: [100] }).toBe("CANCELLED");
  expect(Date.now() - asked).toBeLessThan(5_000);
  const run = await readRun(runId);
  expect(run.steps.find((s) => s.nodeId === "long")).toMatchObject({ status: "failed", error: "Cancelled" });
});

const twoSlowSteps = (name: string, seconds: number) => twoSlowStepsOn(api, llm, name, seconds);

test("a worker asked to stop (SIGTERM) finishes the run it holds within the grace period, then exits", async () => {
  const id = await twoSlowSteps("grace", 2);
  const worker = await startWorkerProcess(studio, LEASE); // the default grace period: 10 s
  workers.push(worker);
  const runId = await startRun(id, "grace");
  await expect
    .poll(async () => (await readRun(runId)).steps.find((s) => s.nodeId === "a")?.status, { timeout: 30_000 })
    .toBe("running");
  const signalled = Date.now();
  const exiting = worker.kill("SIGTERM");
  await expect.poll(() => worker.output(), { intervals: [20] }).toContain("stopping: no new runs");
  const later = await startRun(id, "after the signal");
  await exiting;
  const exitedAfter = (Date.now() - signalled) / 1000;
  expect(exitedAfter, `exited ${exitedAfter} s after SIGTERM`).toBeLessThan(10);
  expect(worker.output()).toContain("finishing the runs held before stopping");
  expect(worker.output()).not.toContain("grace period over");
  expect(worker.settledRuns()).toEqual([runId]);
  expect((await readRun(runId)).status).toBe("COMPLETED");
  expect(doneCounts((await readRun(runId)).steps)).toEqual({ start: 1, a: 1, b: 1, out: 1 });
  // The run asked for after the signal was left for another worker, which runs it.
  expect((await readRun(later)).status).toBe("QUEUED");
  const next = await startWorkerProcess(studio, LEASE);
  workers.push(next);
  await expect.poll(async () => (await readRun(later)).status, { timeout: 30_000 }).toBe("COMPLETED");
});

test("a worker whose grace period runs out (SIGTERM) hands its run to another worker, which finishes it", async () => {
  // Steps of 5 s: the run is surely still going when the second worker is up and the signal comes.
  const id = await twoSlowSteps("handover", 5);
  const first = await startWorkerProcess(studio, { ...LEASE, FLOWDECK_SHUTDOWN_GRACE_SECONDS: "1" });
  workers.push(first);
  const runId = await startRun(id, "handover");
  await expect
    .poll(async () => (await readRun(runId)).steps.find((s) => s.nodeId === "a")?.status, { timeout: 30_000 })
    .toBe("running");
  const second = await startWorkerProcess(studio, LEASE);
  workers.push(second);
  await first.kill("SIGTERM");
  expect(first.output()).toContain("grace period over");
  expect(first.output()).toContain("worker stopped");
  await expect.poll(async () => (await readRun(runId)).status, { timeout: 30_000 }).toBe("COMPLETED");
  expect(doneCounts((await readRun(runId)).steps)).toEqual({ start: 1, a: 1, b: 1, out: 1 });
  expect(second.settledRuns()).toEqual([runId]);
});

test("rolling SIGTERM: a stopping worker starts no run after the signal, exits within seconds, and another finishes them all", async () => {
  const id = await publish("Rolling stop", [
    node("start", "start", start, 0),
    agent("a", 1, 20),
    agent("b", 2, 20),
    node("out", "output", { value: "{{nodes.b.output.text}}" }, 3),
  ]);
  const runIds: string[] = [];
  for (let round = 0; round < 3; round += 1) {
    const stopping = await startWorkerProcess(studio, {
      ...LEASE,
      FLOWDECK_WORKER_CONCURRENCY: "2",
      FLOWDECK_SHUTDOWN_GRACE_SECONDS: "1",
    });
    workers.push(stopping);
    // More runs than it may hold: it is fetching while the signal comes.
    runIds.push(...(await Promise.all(Array.from({ length: 6 }, (_, i) => startRun(id, `rolling ${round}.${i}`)))));
    await expect.poll(() => /"step\.started"/.test(stopping.output()), { timeout: 30_000, intervals: [50] }).toBe(true);
    const signalled = Date.now();
    await stopping.kill("SIGTERM");
    const exitedAfter = (Date.now() - signalled) / 1000;
    expect(exitedAfter, `round ${round}: exited ${exitedAfter} s after SIGTERM`).toBeLessThan(5);
    // From the moment the worker heard the signal (its own log line), it claimed no run.
    const lines = stopping
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { time: number; msg: string; runId?: string });
    const stopAt = lines.find((l) => l.msg.startsWith("stopping"))?.time;
    expect(stopAt, `round ${round}: the worker logs that it is stopping`).toBeDefined();
    const claimedAfter = lines.filter((l) => l.msg === "run claimed" && l.time > stopAt!).map((l) => l.runId);
    expect(claimedAfter, `round ${round}`).toEqual([]);
    const claimedBefore = new Set(lines.filter((l) => l.msg === "run claimed").map((l) => l.runId));
    expect(claimedBefore.size, `round ${round}: it had runs when the signal came`).toBeGreaterThan(0);
  }
  workers.push(await startWorkerProcess(studio, LEASE));
  await expect
    .poll(async () => (await Promise.all(runIds.map(readRun))).filter((r) => r.status === "COMPLETED").length, {
      timeout: 90_000,
      intervals: [1000],
    })
    .toBe(runIds.length);
  for (const runId of runIds)
    expect(doneCounts((await readRun(runId)).steps), runId).toEqual({ start: 1, a: 1, b: 1, out: 1 });
});

test("rate limits are shared between processes: calls through the studio's endpoint count against runs in a worker", async () => {
  const limits = await (await api.get("/api/admin/gateway/limits")).json();
  await api.put("/api/admin/gateway/limits", { data: { ...limits, userRpm: 2 } });
  try {
    const { key } = await (await api.post("/api/api-keys", { data: { name: "limit test" } })).json();
    for (const n of [1, 2]) {
      const res = await fetch(`${studio.url}/api/gateway/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ model: "demo", messages: [{ role: "user", content: `call ${n}` }] }),
      });
      expect(res.status).toBe(200);
    }
    // The same person's run, in another process: its model call finds the minute's two requests used.
    const id = await publish("Limit test", [
      node("start", "start", start, 0),
      agent("a", 1),
      node("out", "output", { value: "{{nodes.a.output.text}}" }, 2),
    ]);
    workers.push(await startWorkerProcess(studio, LEASE));
    const runId = await startRun(id, "limits");
    await expect.poll(async () => (await readRun(runId)).status, { timeout: 30_000 }).toBe("FAILED");
    expect((await readRun(runId)).error).toMatch(/Rate limit reached: your requests per minute \(2 per minute\)/);
  } finally {
    await api.put("/api/admin/gateway/limits", { data: { ...limits, userRpm: null } });
  }
});
