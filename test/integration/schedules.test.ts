import { expect, it } from "vitest";
import { runHarness } from "../support/run-harness";

/**
 * A schedule's ticks on a real database: a tick starts one run however often it is handled (a
 * job sent or fetched twice), sends the next tick, and a tick that comes late is skipped or
 * run once as the schedule says; a tick of a config since changed does nothing.
 */
const h = runHarness("schedules");

async function published(name: string) {
  const { publishWorkflow } = await import("../../lib/workflows/versions");
  const ws = h.admin.workspace.id;
  const wf = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
    name,
    description: "",
    graph: {
      nodes: [
        {
          id: "start",
          kind: "start",
          label: "Start",
          position: { x: 0, y: 0 },
          config: { fields: [{ name: "topic", type: "string", required: true }] },
        },
        {
          id: "out",
          kind: "output",
          label: "Out",
          position: { x: 260, y: 0 },
          config: { value: "{{nodes.start.output.topic}}" },
        },
      ],
      edges: [{ id: "e1", source: "start", target: "out" }],
    },
  });
  await publishWorkflow(ws, h.admin.user.id, wf.id, { note: "", revision: wf.revision });
  return wf.id;
}

it("a tick runs once however often it is handled, sends the next, and late ticks follow the missed policy", async () => {
  const { createTrigger, updateTrigger, listDeliveries } = await import("../../lib/triggers/triggers");
  const { runTick, configVersion } = await import("../../lib/triggers/schedules");
  const { storedScheduleConfigSchema } = await import("../../lib/schemas/triggers");
  const versionOf = (row: { config: unknown }) => configVersion(storedScheduleConfigSchema.parse(row.config));
  const prisma = await h.mod.db.db();
  const workflowId = await published("Digest");
  // Made and ticked within one minute: a minute turning in between queues the first tick for
  // the minute this test takes as "on time", and the next one (same key) is not sent.
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((r) => setTimeout(r, left + 50));
  const made = await createTrigger(h.admin, workflowId, {
    kind: "schedule",
    name: "Every minute",
    config: { cron: "* * * * *", timezone: "UTC", input: { topic: "kelp" }, missed: "skip" },
  });
  const row = await prisma.trigger.findUniqueOrThrow({ where: { id: made.id } });
  const version = versionOf(row);
  const runsOf = () => prisma.run.findMany({ where: { triggerId: made.id }, select: { trigger: true, input: true } });

  // On time, handled three times at once (a duplicate job, a retry): one run.
  const tick = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const job = { triggerId: made.id, version, tick: tick.toISOString() };
  await Promise.all([runTick(job, tick), runTick(job, tick), runTick(job, tick)]);
  expect(await runsOf()).toEqual([{ trigger: "schedule", input: { topic: "kelp" } }]);
  // The next tick waits as a job, a minute on.
  const waiting = await prisma.$queryRawUnsafe<{ data: { tick: string } }[]>(
    `SELECT data FROM pgboss.job WHERE name = 'flowdeck-schedule-ticks' AND state = 'created' AND singleton_key = $1`,
    `${made.id}@${version}`,
  );
  expect(waiting.map((j) => j.data.tick)).toEqual([new Date(tick.getTime() + 60_000).toISOString()]);

  // Late by five minutes, "skip": recorded, no run.
  const late = new Date(tick.getTime() - 5 * 60_000);
  await runTick({ ...job, tick: late.toISOString() }, new Date());
  expect(await runsOf()).toHaveLength(1);
  const deliveries = await listDeliveries(h.admin, made.id);
  expect(deliveries.map((d) => d.status).sort()).toEqual([202, 204]);
  expect(deliveries.find((d) => d.status === 204)?.error).toMatch(/^Skipped/);

  // "once": the late tick runs.
  const once = await updateTrigger(h.admin, made.id, {
    config: { cron: "* * * * *", timezone: "UTC", input: { topic: "kelp" }, missed: "once" },
  });
  const changed = await prisma.trigger.findUniqueOrThrow({ where: { id: once.id } });
  // The old config's tick does nothing now.
  await runTick({ ...job, tick: new Date(tick.getTime() - 60_000).toISOString() }, new Date());
  expect(await runsOf()).toHaveLength(1);
  const older = new Date(tick.getTime() - 10 * 60_000);
  await runTick({ triggerId: made.id, version: versionOf(changed), tick: older.toISOString() }, new Date());
  expect(await runsOf()).toHaveLength(2);

  // A rename is no new config: a tick computed before it still runs.
  await updateTrigger(h.admin, made.id, { name: "Every minute, renamed" });
  const renamed = await prisma.trigger.findUniqueOrThrow({ where: { id: made.id } });
  expect(versionOf(renamed)).toBe(versionOf(changed));
  await runTick(
    { triggerId: made.id, version: versionOf(renamed), tick: new Date(tick.getTime() - 20 * 60_000).toISOString() },
    new Date(),
  );
  expect(await runsOf()).toHaveLength(3);

  // Turned off: a tick does nothing.
  await updateTrigger(h.admin, made.id, { enabled: false });
  const off = await prisma.trigger.findUniqueOrThrow({ where: { id: made.id } });
  await runTick({ triggerId: made.id, version: versionOf(off), tick: new Date().toISOString() }, new Date());
  expect(await runsOf()).toHaveLength(3);
});
