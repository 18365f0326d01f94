import { expect, it } from "vitest";
import { runHarness } from "../support/run-harness";

/**
 * A Loop step through the real engine, store and child runs: one child run per item with a
 * review inside each (all pending in the inbox at once), the parent waiting until every one is
 * decided, and however often the parent is executed again, never a second child for an item.
 */
const h = runHarness("loopstep");

type Kind = "start" | "human-review" | "output" | "loop";
const n = (id: string, kind: Kind, config: Record<string, unknown>, x: number) => ({
  id,
  kind,
  label: id,
  position: { x, y: 0 },
  config,
});

it("runs the body per item with a review in each, resumes as they are decided, and never repeats an item", async () => {
  const { publishWorkflow } = await import("../../lib/workflows/versions");
  const { decideReview } = await import("../../lib/review/decide-review");
  const ws = h.admin.workspace.id;
  //  body:  start(ticket) ──> check (review) ──approved──> out
  const body = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
    name: "Check a ticket",
    description: "",
    graph: {
      nodes: [
        n("start", "start", { fields: [{ name: "ticket", type: "json", required: true }] }, 0),
        n(
          "check",
          "human-review",
          {
            instructions: "Is it urgent?",
            content: "{{nodes.start.output.ticket.title}}",
            reviewerRole: "ADMIN",
            allowSelfApproval: true,
          },
          1,
        ),
        n("out", "output", { value: "checked {{nodes.start.output.ticket.title}}" }, 2),
      ],
      edges: [
        { id: "e1", source: "start", target: "check" },
        { id: "e2", source: "check", target: "out", sourceHandle: "approved" },
      ],
    },
  });
  await publishWorkflow(ws, h.admin.user.id, body.id, { note: "", revision: body.revision });
  //  parent:  start(tickets) ──> each (loop over tickets, body) ──> out
  const parent = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
    name: "Triage",
    description: "",
    graph: {
      nodes: [
        n("start", "start", { fields: [{ name: "tickets", type: "json", required: true }] }, 0),
        n(
          "each",
          "loop",
          { items: "{{nodes.start.output.tickets}}", workflowId: body.id, itemInput: "ticket", concurrency: 2 },
          1,
        ),
        n("out", "output", { value: "{{nodes.each.output.results}}" }, 2),
      ],
      edges: [
        { id: "e1", source: "start", target: "each" },
        { id: "e2", source: "each", target: "out" },
      ],
    },
  });
  const tickets = [{ title: "printer" }, { title: "payroll" }, { title: "vpn" }];
  const { id: runId } = await h.mod.start.startRun(h.admin, parent.id, { input: { tickets }, mode: "draft" });
  const first = await h.mod.execute.executeRun(runId);
  expect(first, JSON.stringify(first)).toMatchObject({ status: "waiting" });

  const prisma = await h.mod.db.db();
  const childrenOf = () =>
    prisma.run.findMany({
      where: { parentRunId: runId },
      orderBy: { parentItem: "asc" },
      select: { id: true, parentItem: true, status: true },
    });
  let kids = await childrenOf();
  expect(kids.map((k) => [k.parentItem, k.status])).toEqual([
    [0, "WAITING"],
    [1, "WAITING"],
    [2, "WAITING"],
  ]);
  const reviews = await prisma.review.findMany({ where: { runId: { in: kids.map((k) => k.id) }, status: "PENDING" } });
  expect(reviews).toHaveLength(3); // one per item, all in the inbox at once

  // Executing the parent again (a second worker, a resume) starts no child twice.
  expect(await h.mod.execute.executeRun(runId)).toMatchObject({ status: "waiting" });
  expect(await childrenOf()).toHaveLength(3);

  // Decided one by one: each child finishes; the parent goes on waiting for the rest.
  for (const [i, review] of reviews.entries()) {
    await decideReview(h.admin, review.id, { outcome: "approved", comment: "" });
    await h.mod.execute.executeRun(review.runId);
    const outcome = await h.mod.execute.executeRun(runId);
    expect(outcome).toMatchObject({ status: i < 2 ? "waiting" : "completed" });
  }
  kids = await childrenOf();
  expect(kids.map((k) => k.status)).toEqual(["COMPLETED", "COMPLETED", "COMPLETED"]);
  const { getRun } = await import("../../lib/runs/read-runs");
  expect((await getRun(ws, runId)).output).toEqual(["checked printer", "checked payroll", "checked vpn"]);
});

it("a body drawn inside the loop runs per item as a run of the same workflow, a review in each, never twice", async () => {
  const { decideReview } = await import("../../lib/review/decide-review");
  const ws = h.admin.workspace.id;
  //  start(tickets) ──> each (loop) ──> out;   inside each:  check (review) ──approved──> done
  const inside = (node: ReturnType<typeof n>) => ({ ...node, parentId: "each" });
  const wf = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
    name: "Inline triage",
    description: "",
    graph: {
      nodes: [
        n("start", "start", { fields: [{ name: "tickets", type: "json", required: true }] }, 0),
        n("each", "loop", { items: "{{nodes.start.output.tickets}}", concurrency: 2 }, 1),
        n("out", "output", { value: "{{nodes.each.output.results}}" }, 2),
        inside(
          n(
            "check",
            "human-review",
            {
              instructions: "Is it urgent?",
              content: "#{{nodes.each.output.index}} {{nodes.each.output.item.title}}",
              reviewerRole: "ADMIN",
              allowSelfApproval: true,
            },
            0,
          ),
        ),
        inside(n("done", "output", { value: "checked {{nodes.check.output.text}}" }, 1)),
      ],
      edges: [
        { id: "e1", source: "start", target: "each" },
        { id: "e2", source: "each", target: "out" },
        { id: "e3", source: "check", target: "done", sourceHandle: "approved" },
      ],
    },
  });
  // Published: the version's graph is cached per process, and each item's run must still run its body.
  const { publishWorkflow } = await import("../../lib/workflows/versions");
  await publishWorkflow(ws, h.admin.user.id, wf.id, { note: "", revision: wf.revision });
  const tickets = [{ title: "printer" }, { title: "payroll" }, { title: "vpn" }];
  const { id: runId } = await h.mod.start.startRun(h.admin, wf.id, { input: { tickets }, mode: "published" });
  expect(await h.mod.execute.executeRun(runId)).toMatchObject({ status: "waiting" });
  expect(await h.mod.execute.executeRun(runId)).toMatchObject({ status: "waiting" });

  const prisma = await h.mod.db.db();
  const kids = await prisma.run.findMany({
    where: { parentRunId: runId },
    orderBy: { parentItem: "asc" },
    select: { id: true, workflowId: true, graph: true },
  });
  expect(kids).toHaveLength(3);
  expect(kids.every((k) => k.workflowId === wf.id)).toBe(true);
  expect((kids[0]!.graph as { nodes: { id: string }[] }).nodes.map((x) => x.id)).toEqual(["each", "check", "done"]);
  // The parent's own steps never include the ones inside the loop.
  const parentSteps = await prisma.runStep.findMany({ where: { runId }, select: { nodeId: true } });
  expect(new Set(parentSteps.map((x) => x.nodeId))).toEqual(new Set(["start", "each"]));

  const reviews = await prisma.review.findMany({
    where: { runId: { in: kids.map((k) => k.id) } },
    orderBy: { createdAt: "asc" },
  });
  expect(reviews.map((r) => (r.payload as { content: string }).content).sort()).toEqual([
    "#0 printer",
    "#1 payroll",
    "#2 vpn",
  ]);
  for (const review of reviews) {
    await decideReview(h.admin, review.id, { outcome: "approved", comment: "" });
    await h.mod.execute.executeRun(review.runId);
  }
  expect(await h.mod.execute.executeRun(runId)).toMatchObject({ status: "completed" });
  const { getRun } = await import("../../lib/runs/read-runs");
  expect((await getRun(ws, runId)).output).toEqual(["checked #0 printer", "checked #1 payroll", "checked #2 vpn"]);
});

it("a worker letting go of a loop hands its items back; only a cancel or a deadline cancels them", async () => {
  const { publishWorkflow } = await import("../../lib/workflows/versions");
  const { subWorkflowRunner } = await import("../../lib/execution/sub-workflow-runner");
  const { RunStop } = await import("../../lib/engine/ports");
  const ws = h.admin.workspace.id;
  const body = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
    name: "Tiny body",
    description: "",
    graph: {
      nodes: [
        n("start", "start", { fields: [{ name: "item", type: "json", required: true }] }, 0),
        n("out", "output", { value: "x" }, 1),
      ],
      edges: [{ id: "e1", source: "start", target: "out" }],
    },
  });
  await publishWorkflow(ws, h.admin.user.id, body.id, { note: "", revision: body.revision });
  const parent = await h.mod.workflows.createWorkflow(ws, h.admin.user.id, {
    name: "Parent",
    description: "",
    graph: {
      nodes: [n("start", "start", { fields: [] }, 0), n("out", "output", { value: "x" }, 1)],
      edges: [{ id: "e1", source: "start", target: "out" }],
    },
  });
  const { id: parentRunId } = await h.mod.start.startRun(h.admin, parent.id, { input: {}, mode: "draft" });
  const prisma = await h.mod.db.db();
  for (const [reason, cancels] of [
    [new RunStop("worker stopping", "interrupted"), false],
    [new RunStop("past the deadline", "deadline"), true],
    [new Error("Cancelled by a person"), true],
  ] as const) {
    const cancelled: string[] = [];
    const controller = new AbortController();
    // The child "runs" until the parent's signal aborts (it may have, on a busy machine, before the child starts).
    const execute = () =>
      new Promise<void>((resolve) =>
        controller.signal.aborted ? resolve() : controller.signal.addEventListener("abort", () => resolve()),
      );
    const runner = subWorkflowRunner(
      prisma,
      { workspaceId: ws, startedById: h.admin.user.id, workflowId: parent.id, version: null },
      execute,
      (id) => cancelled.push(id),
    );
    const child = runner.run({
      workflowId: body.id,
      input: { item: 1 },
      parentRunId,
      nodeId: `each_${String(cancels)}_${reason.message.length}`,
      depth: 1,
      signal: controller.signal,
      item: 0,
    });
    setTimeout(() => controller.abort(reason), 50);
    await child;
    expect(cancelled.length, reason.message).toBe(cancels ? 1 : 0);
  }
});
