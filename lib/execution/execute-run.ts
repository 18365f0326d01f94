import { runValues } from "../workspaces/variables";
import { needsApproval as needsHttpApproval, sendFromWorkspace } from "../egress/destinations";
import { codeSandbox } from "../sandbox/run-code";
import "server-only";
import { database, type Sql } from "../db/client";
import { isConnectionError, retryTransient } from "../db/transient";
import { RunStop, type EnginePorts, type ReviewQueue, type RunSpec } from "../engine/ports";
import { NodeError } from "../engine/nodes/executor";
import { runWorkflow, type RunOutcome } from "../engine/run/run-workflow";
import { modelGateway } from "../gateway/gateway";
import { logger } from "../log/logger";
import { agentToolSet } from "../mcp/agent-tools";
import { invokeTool, needsApproval } from "../mcp/tools";
import { processSingleton } from "../process/singleton";
import { prismaReviewQueue } from "../review/review-queue";
import { runDeltas } from "../runs/live-events";
import type { ClaimedRun } from "../runs/local-runner";
import { enqueueRun } from "../runs/queue";
import { settleRun } from "../runs/settle-run";
import { LeaseLost, SqlRunStore } from "../runs/sql-run-store";
import { conversationOf, isEnded, runInputOf, SEALED_REJECTS, standInsOf } from "../schemas/run";
import { selfDecidedReviews } from "../review/self-decided-reviews";
import { checkedGraph } from "../workflows/graph-cache";
import { runEnded, runEvent as traceRunEvent, runStarted } from "../tracing/tracing";
import { claimRun, leaseSeconds, releaseLease, renewLeases, workerId } from "./lease";
import { subWorkflowRunner } from "./sub-workflow-runner";
import { raisedCostCap, rootRunOf } from "../runs/run-tree";

/** `make`'s promise, made on the first call and shared by the next ones. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | null = null;
  return () => (made ??= make());
}

/**
 * Executes (or resumes) one run in this process, under its lease: nobody else executes it
 * meanwhile, and if this process dies the lease runs out and another worker continues from
 * the persisted steps. Cancel and the deadline go through one AbortController per run.
 * Every way the run ends goes through settleRun (lib/runs): the engine's own end through the
 * store, a crash here, and a cancel asked for before the run started or while it let go.
 *
 * Returns "busy" when another live worker holds the run, null when there is nothing to do
 * (ended, or already executing here).
 */
const active = () => processSingleton("active-runs", () => new Map<string, AbortController>());
/**
 * Runs executing here that were asked for again meanwhile (a child of theirs ended, a job came):
 * if such a run ends its execution waiting, it goes back to the queue at once, so a child that
 * ended while its parent was still running (a loop's items decided together) is not missed.
 */
const wakeAgain = () => processSingleton("wake-again-runs", () => new Set<string>());

/** Stops the run if it executes in this process (a person cancelled it); false when it does not. */
export function cancelActiveRun(runId: string): boolean {
  const controller = active().get(runId);
  controller?.abort(new Error("Cancelled by a person"));
  return !!controller;
}

/** Stops every run executing here with `reason` (a worker shutting down). */
export function abortActiveRuns(reason: RunStop): void {
  for (const controller of active().values()) controller.abort(reason);
}

/**
 * `claimed`: the run was created already leased to this worker (lib/runs/start-run), with what
 * executing it needs; otherwise it is claimed here, in the statement that reads it.
 */
export async function executeRun(
  runId: string,
  claimed?: ClaimedRun,
  /**
   * The worker began stopping: it starts no run from then on. A claim already on its way when
   * the signal came is let go at once (its job goes back to the queue), not started.
   */
  stopping: () => boolean = () => false,
): Promise<RunOutcome | "busy" | null> {
  if (active().has(runId)) {
    wakeAgain().add(runId);
    return null;
  }
  // Taken here before the first await: two jobs for one run fetched at once (a hand-back and a
  // sweep) must not both pass the check above and both claim it (the claim lets its owner renew).
  const controller = new AbortController();
  active().set(runId, controller);
  let run: ClaimedRun | null = claimed ?? null;
  const { sql, leaseSql, prisma } = await database().catch((error: unknown) => {
    active().delete(runId);
    throw error;
  });
  try {
    if (stopping() && !claimed) return { status: "interrupted" };
    run ??= await claimRun(sql, runId);
    if (!run) {
      const row = await prisma.run.findUnique({ where: { id: runId }, select: { status: true } });
      return row && !isEnded(row.status) ? "busy" : null;
    }
    if (stopping()) {
      await retryTransient(() => releaseLease(prisma, runId));
      run = null;
      return { status: "interrupted" };
    }
  } finally {
    if (!run) active().delete(runId);
  }
  const owner = { leaseOwner: workerId() };
  const log = logger().child({ runId, worker: workerId() });
  log.info("run claimed");
  keepLeases(leaseSql);
  let deadlineTimer: NodeJS.Timeout | undefined;
  const parentRunId = run.parentRunId;
  let outcome: RunOutcome | null = null;
  let store: SqlRunStore | null = null;
  try {
    if (run.cancelRequested) {
      await settleRun(sql, runId, { status: "cancelled" }, owner);
      return (outcome = { status: "cancelled" });
    }
    if (run.deadlineMs !== null) {
      const seconds = Math.round((run.deadlineMs - run.createdAtMs) / 1000);
      const stop = () => controller.abort(new RunStop(`The run passed its deadline of ${seconds} s.`, "deadline"));
      const left = run.deadlineMs - Date.now();
      if (left <= 0) stop();
      else deadlineTimer = setTimeout(stop, left);
    }
    // Model calls are made as the person who started the run, with their role now.
    // A loop's or sub-workflow's run counts against the cost cap of the run it is part of, as
    // an admin may have raised it for that run (a run waiting at its cap asks one).
    const rootRun = run.parentRunId ? once(() => rootRunOf(sql, runId)) : undefined;
    const caller = {
      workspaceId: run.workspaceId,
      userId: run.startedById,
      role: run.starterRole,
      workflowId: run.workflowId,
      ...(rootRun && { rootRun }),
      runCostCap: raisedCostCap(sql, rootRun ?? (async () => ({ runId }))),
      // A run an application key started: its calls count against the key's models, budget and rate.
      apiKeyId: run.apiKeyId,
      ...(run.applicationKey && { key: run.applicationKey }),
    };
    // A child run's graph is its own (a Loop's body is a part of its workflow's version): read
    // from the run, never from the version's cache.
    const { graph } = await checkedGraph(run.workflowId, run.parentRunId ? null : run.version, run.graph);
    const nodeOf = (id: string) => {
      const node = graph.nodes.find((n) => n.id === id);
      return node && { kind: node.kind, label: node.label || node.id };
    };
    // The worker began stopping while this run was being claimed and read: hand it back unstarted.
    if (controller.signal.aborted && controller.signal.reason instanceof RunStop)
      return (outcome = { status: "interrupted" });
    runStarted({
      id: run.id,
      workflowId: run.workflowId,
      version: run.version,
      workspaceId: run.workspaceId,
      parentRunId: run.parentRunId,
    });
    const deltas = runDeltas(runId);
    store = new SqlRunStore(sql, {
      onEvent: (id, e) => {
        traceRunEvent(id, e, nodeOf);
        // Every step's progress is a log line carrying the run's and the step's ids.
        if (e.nodeId && e.type.startsWith("step.")) {
          const p = (e.payload ?? {}) as { attempt?: number; error?: string; waitingOn?: string };
          const fields = {
            nodeId: e.nodeId,
            kind: nodeOf(e.nodeId)?.kind,
            attempt: p.attempt,
            ...(p.error && { error: p.error }),
            ...(p.waitingOn && { reviewId: p.waitingOn }),
          };
          if (e.type === "step.failed") log.warn(fields, e.type);
          else log.info(fields, e.type);
        }
      },
      // Only the lease holder settles the run (a worker that lost its lease must not).
      settleWhen: owner,
      // ... and only it writes: one that lost the run (paused past its lease) records nothing more.
      leaseOwner: owner.leaseOwner,
      fresh: run.fresh,
      // Followers get a step's streamed text before its end.
      beforeWrite: deltas.flush,
    });
    const standIns = standInsOf(run.standIns);
    const ports: EnginePorts = {
      store,
      models: modelGateway(caller, (names, context, approver) =>
        standIns?.sealed
          ? refuseOutside()
          : agentToolSet({ ...caller, ...context, source: "workflow" }, names, approver),
      ),
      tools: {
        needsApproval: (tool) => handingBack(() => needsApproval(run.workspaceId, tool), controller),
        call: ({ tool, arguments: args, signal, context, approver }) =>
          invokeTool({ ...caller, ...context, source: "workflow" }, tool, args, { signal, approver }),
      },
      // A run that decides its own reviews (an evaluation's case) files none; nor does any sealed run.
      reviews:
        standIns?.reviews || standIns?.sealed
          ? selfDecidedReviews(runId, standIns.reviews ?? SEALED_REJECTS)
          : handBackOnDatabaseFault(prismaReviewQueue(prisma, run), controller),
      subWorkflows: subWorkflowRunner(prisma, { ...run, standIns }, (id) => executeRun(id), cancelActiveRun),
      code: codeSandbox,
      variables: { values: (names) => runValues(run.workspaceId, names) },
      http: {
        send: ({ context, secrets, approver, ...request }) =>
          sendFromWorkspace(caller, request, { ...context, secrets, approver }, (call) =>
            handingBack(call, controller),
          ),
        needsApproval: (request) =>
          needsHttpApproval(run.workspaceId, request, (call) => handingBack(call, controller)),
      },
      clock: { now: () => Date.now() },
    };
    // A sealed run (an evaluation's case) never reaches outside, whatever its steps ask.
    if (standIns?.sealed) sealPorts(ports);
    const spec: RunSpec = {
      runId,
      graph,
      input: runInputOf(run.input),
      depth: run.depth,
      conversation: conversationOf(run.conversation),
      ...(standIns && { standIns: standIns.steps }),
    };
    outcome = await runWorkflow(spec, ports, controller.signal, deltas.add);
    runEnded(runId, outcome.status, outcome.status === "failed" ? outcome.error : undefined);
    if (outcome.status === "interrupted") log.info("run handed back to the queue");
    else log.info({ status: outcome.status }, "run settled");
    return outcome;
  } catch (error) {
    if (error instanceof LeaseLost) {
      // Another worker holds the run now (this one was paused past its lease): it records the rest.
      log.warn("another worker took this run over; stopping here without recording anything");
      controller.abort(new RunStop("Another worker took this run over.", "interrupted"));
      return (outcome = { status: "interrupted" });
    }
    if (isConnectionError(error)) {
      // The database went away (after the store's own retries): not the run's fault. Hand it
      // back without recording anything; it continues from its saved steps once the database is back.
      log.warn({ err: error }, "lost the database; handing the run back");
      controller.abort(lostDatabase());
      return (outcome = { status: "interrupted" });
    }
    const message = error instanceof Error ? error.message : String(error);
    log.error({ err: error }, "run crashed");
    // Stop any branch still running, then settle after the events already on their way (same chain).
    controller.abort(new RunStop(`The run crashed: ${message}`, "interrupted"));
    runEnded(runId, "failed", message);
    const settlement = { status: "failed" as const, error: message };
    // A store whose write failed refuses every later one: the crash is then settled without it, or
    // the run would stay running with nobody holding it, and be taken up and crash again, forever.
    const direct = () => settleRun(sql, runId, settlement, owner);
    await (store ? store.settle(runId, settlement).catch(direct) : direct()).catch((e) =>
      log.error({ err: e }, "could not record the crash"),
    );
    return (outcome = { status: "failed", error: message });
  } finally {
    clearTimeout(deadlineTimer);
    active().delete(runId);
    await afterLettingGo(runId, parentRunId, outcome, store?.ended ?? false).catch((error) =>
      log.warn({ err: error }, "could not let go of the run cleanly"),
    );
    if (wakeAgain().delete(runId) && outcome?.status === "waiting")
      await enqueueRun(runId).catch((error) => log.warn({ err: error }, "could not wake the run again"));
  }
}

/**
 * One timer per process renews the leases of every run executing here, in one statement, a
 * third of the lease apart, on a connection of its own (`leaseSql`: never queued behind the
 * runs' statements): a run taken over by another worker stops here (recording nothing), a
 * cancel asked for elsewhere aborts it, and a process cut off from the database longer than the
 * lease stops its runs too, since another worker may take them over by now. A renewal later than
 * half the lease is logged: the process is too loaded for its lease, and a longer one
 * (FLOWDECK_RUN_LEASE_SECONDS) keeps other workers from taking its runs over.
 */
function keepLeases(leaseSql: Sql): void {
  const state = processSingleton("lease-keeper", () => ({
    timer: null as NodeJS.Timeout | null,
    renewedAt: Date.now(),
    renewing: false,
  }));
  if (state.timer) return;
  state.renewedAt = Date.now();
  state.timer = setInterval(
    async () => {
      const ids = [...active().keys()];
      if (!ids.length) {
        clearInterval(state.timer!);
        state.timer = null;
        return;
      }
      // One renewal at a time: a slow one is not joined by more behind it.
      if (state.renewing) return;
      state.renewing = true;
      const asked = Date.now();
      try {
        const held = await renewLeases(leaseSql, ids);
        const now = Date.now();
        if (now - state.renewedAt > (leaseSeconds() * 1000) / 2)
          logger().warn(
            {
              sinceLastMs: now - state.renewedAt,
              renewalMs: now - asked,
              leaseSeconds: leaseSeconds(),
              runs: ids.length,
            },
            "this worker renewed its leases late: other workers may take its runs over; give runs a longer lease (FLOWDECK_RUN_LEASE_SECONDS) or the worker more room",
          );
        state.renewedAt = now;
        for (const id of ids) {
          const lease = held.get(id);
          if (!lease) active().get(id)?.abort(new RunStop("Another worker took this run over.", "interrupted"));
          else if (lease.cancelRequested) active().get(id)?.abort(new Error("Cancelled by a person"));
        }
      } catch (error) {
        logger().warn({ err: error, runs: ids.length }, "could not renew the leases of this worker's runs");
        if (Date.now() - state.renewedAt > leaseSeconds() * 1000)
          for (const id of ids) active().get(id)?.abort(lostDatabase());
      } finally {
        state.renewing = false;
      }
    },
    (leaseSeconds() * 1000) / 3,
  );
}

const lostDatabase = () =>
  new RunStop("This worker lost the database; the run continues once it is back.", "interrupted");

/** A port call whose database connection dropped stops the run for a hand-over, instead of failing the step. */
async function handingBack<T>(call: () => Promise<T>, controller: AbortController): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isConnectionError(error)) controller.abort(lostDatabase());
    throw error;
  }
}

function handBackOnDatabaseFault(reviews: ReviewQueue, controller: AbortController): ReviewQueue {
  return {
    request: (review) => handingBack(() => reviews.request(review), controller),
    decision: (reviewId) => handingBack(() => reviews.decision(reviewId), controller),
  };
}

/**
 * Lets go of the lease. A cancel asked for while this worker held the run but too late to stop
 * it (it had just paused for a review) is settled now, since no worker holds the run any more.
 * A child run that ended hands its parent back to the queue (or, while the parent runs here,
 * perhaps waiting on this very call, marks it to look again if it ends up waiting); that is
 * tried even when letting go of the lease failed, or the parent would wait forever.
 */
async function afterLettingGo(
  runId: string,
  parentRunId: string | null,
  outcome: RunOutcome | null,
  /** The run was settled as ended here, which let go of the lease in the same statement. */
  settledHere: boolean,
): Promise<void> {
  const { sql, prisma } = await database();
  let ended = !!outcome && outcome.status !== "waiting" && outcome.status !== "interrupted";
  try {
    if (settledHere) return;
    const { cancelRequested } = await retryTransient(() => releaseLease(prisma, runId));
    if (
      cancelRequested &&
      outcome?.status !== "interrupted" &&
      (await settleRun(sql, runId, { status: "cancelled" }, "idle"))
    )
      ended = true;
  } finally {
    if (parentRunId && ended) {
      // A parent running here looks again once it is done (it may be waiting on this very call).
      if (active().has(parentRunId)) wakeAgain().add(parentRunId);
      else await enqueueRun(parentRunId);
    }
  }
}

/** Why a sealed run's call outside was refused. */
function refuseOutside(): never {
  throw new NodeError(
    "Not run: an evaluation never reaches outside, and nothing answers this call. Take the case from a run that went through this step, or pin its output.",
  );
}

/** Closes every door out of a sealed run: tools, HTTP, sub-workflows (a Loop's body runs, each item sealed too). */
function sealPorts(ports: EnginePorts): void {
  ports.tools = { needsApproval: () => Promise.resolve(false), call: () => Promise.resolve().then(refuseOutside) };
  ports.http = { needsApproval: () => Promise.resolve(false), send: () => Promise.resolve().then(refuseOutside) };
  const children = ports.subWorkflows;
  ports.subWorkflows = {
    run: (request) => (request.body ? children.run(request) : Promise.resolve().then(refuseOutside)),
    result: (runId) => children.result(runId),
  };
}
