import { setMaxListeners } from "node:events";
import { ExponentialBackoff, type IBackoff } from "cockatiel";
import { specOf } from "../../schemas/node-kinds";
import type { WorkflowGraph, WorkflowNode } from "../../schemas/workflow";
import { topLevel } from "../graph/loop-body";
import { executorOf } from "../nodes";
import { NodeError, type NodeResult } from "../nodes/executor";
import { standInExecutor } from "../nodes/stand-in";
import {
  RunStop,
  type EnginePorts,
  type RunChange,
  type RunEventInput,
  type RunSettlement,
  type RunSpec,
  type StepRecord,
} from "../ports";
import { namesUsed, secretRedactor } from "../template/named-values";
import { referenceWaits } from "../graph/pinned-steps";
import { Planner } from "./plan-next";
import { pause, withTimeout } from "./with-timeout";

/** How a call of runWorkflow ended. "waiting" is a pause: call again after the review is decided. */
export type RunOutcome =
  | RunSettlement
  /** The worker let go (see RunStop): nothing was recorded; another worker continues the run. */
  | { status: "interrupted" };

const stopOf = (signal: AbortSignal) => (signal.reason instanceof RunStop ? signal.reason : undefined);

/** The latest attempt of each node. */
function latest(steps: StepRecord[]): Map<string, StepRecord> {
  const byNode = new Map<string, StepRecord>();
  for (const s of steps)
    if (!byNode.has(s.nodeId) || byNode.get(s.nodeId)!.attempt < s.attempt) byNode.set(s.nodeId, s);
  return byNode;
}

function runOutput(graph: WorkflowGraph, steps: Map<string, StepRecord>): unknown {
  const outs = graph.nodes.filter((n) => n.kind === "output" && steps.get(n.id)?.status === "done");
  const value = (n: WorkflowNode) => (steps.get(n.id)!.output as { value: unknown }).value;
  return outs.length === 1 ? value(outs[0]!) : Object.fromEntries(outs.map((n) => [n.id, value(n)]));
}

/**
 * Runs (or resumes) a workflow: start every ready node at once, so independent branches run
 * in parallel; persist each step as it settles, then plan again. Finished steps are never run
 * again: a resumed run starts from what the store holds. Steps left "running" by a crashed
 * process run again as a new attempt; "waiting" steps look for their decision.
 *
 * Durability: a step with side effects (a model, a tool, a review, a child run) is recorded as
 * running, durably, before it acts; since a run's writes are applied in order, everything
 * recorded before is durable by then too. Every other write goes without waiting, and the
 * store groups what piles up into one commit: a step's end with the next step's start, a pure
 * step (its executor says `pure`: recorded once, started and finished together) with its
 * neighbours. So a step costs one commit or less. A crash loses at most what was not durable
 * yet: pure steps, which the resumed run executes again to the same effect, and the end of a
 * step that had just acted (as before: the window between acting and recording it). Settling
 * waits for every write.
 */
export async function runWorkflow(
  spec: RunSpec,
  ports: EnginePorts,
  signal: AbortSignal,
  onDelta?: (nodeId: string, text: string) => void,
): Promise<RunOutcome> {
  const { store, clock } = ports;
  // Steps drawn inside a Loop run in the Loop's runs, one per item: never here.
  const graph = topLevel(spec.graph);
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const labels = new Map(graph.nodes.map((n) => [n.id, n.label || n.id]));
  const persisted = await store.steps(spec.runId);
  const steps = latest(persisted);
  // The workspace's variables and secrets the graph names, read now (a rotated secret needs no
  // edit); whatever a step records is searched for the secrets' values and they are redacted.
  const names = namesUsed(spec.graph);
  const { vars, secrets } =
    names.vars.length || names.secrets.length
      ? await ports.variables.values(names)
      : { vars: {}, secrets: {} as Record<string, string> };
  const redact = secretRedactor(secrets);
  // A write the engine did not wait for that failed: the run stops at the next wait (see below).
  let writeFailure: unknown;
  const writeBehind = (change: RunChange) => {
    store.save(spec.runId, change).catch((error: unknown) => (writeFailure ??= error));
  };
  const writeNow = async (change: RunChange) => {
    await store.save(spec.runId, change);
    if (writeFailure !== undefined) throw writeFailure;
  };
  if (persisted.length === 0) writeBehind({ events: [{ type: "run.started", payload: { input: spec.input } }] });

  // A run that starts with pinned steps done: a step after a pin also waits for the steps it reads.
  const waits = persisted.length > 0 ? referenceWaits(graph) : undefined;
  // Steps to visit again: unfinished attempts of a crashed process, and pauses.
  const revisit = new Map<string, StepRecord>();
  for (const [id, s] of steps) {
    if (s.status === "running" || s.status === "waiting") {
      revisit.set(id, s);
      steps.delete(id);
    }
  }

  const inner = new AbortController();
  setMaxListeners(0, inner.signal); // every parallel step listens to it
  const abort = () => inner.abort(signal.reason);
  signal.addEventListener("abort", abort, { once: true });
  const inFlight = new Map<string, Promise<{ nodeId: string; record: StepRecord }>>();
  // Outputs of finished steps, grown as steps finish; a step only reads its upstream, which
  // finished before it started, so sharing one object is safe and saves copying it per step.
  const outputs: Record<string, unknown> = {};
  const addOutput = (s: StepRecord) => {
    if (s.status === "done" || s.handle === "error") outputs[s.nodeId] = s.output;
  };
  steps.forEach(addOutput);

  const start = (node: WorkflowNode) => {
    const previous = revisit.get(node.id);
    revisit.delete(node.id);
    const resuming = previous?.status === "waiting";
    const attempt = resuming ? previous.attempt : (previous?.attempt ?? 0) + 1;
    const startedAt = resuming ? previous.startedAt : clock.now();
    const running: StepRecord = { nodeId: node.id, kind: node.kind, attempt, status: "running", startedAt };
    steps.set(node.id, running);
    // A step the run answers without running it (an evaluation's tool, a pin after a branch).
    const standIn = resuming ? undefined : spec.standIns?.[node.id];
    const executor = standIn ? standInExecutor(standIn) : executorOf(node.kind as Exclude<typeof node.kind, "note">);
    // What is recorded before a step acts is waited for (unless it is pure: then it goes out
    // with the step's end); what it did is written behind, and is durable before anything else acts.
    let unsaved: Required<RunChange> = { steps: [], events: [] };
    const persist = async (change: { steps: StepRecord[]; events: RunEventInput[] }, beforeActing = false) => {
      unsaved.steps.push(...change.steps);
      unsaved.events.push(...change.events);
      const write = unsaved;
      unsaved = { steps: [], events: [] };
      if (beforeActing) await writeNow(write);
      else writeBehind(write);
    };
    const work = (async () => {
      if (!resuming) {
        // The attempt a stopped worker left "running" was cut off: say so, then try again.
        if (previous?.status === "running")
          unsaved.steps.push({
            ...previous,
            status: "interrupted",
            error: "Cut off: the worker running this step stopped; the step ran again.",
            endedAt: clock.now(),
          });
        unsaved.steps.push(running);
        unsaved.events.push({ type: "step.started", nodeId: node.id, payload: { attempt } });
        if (!executor.pure) await persist({ steps: [], events: [] }, true);
      }
      const settings = node.settings ?? {};
      const retries = resuming || standIn ? 0 : (settings.retries ?? 0);
      let backoff: IBackoff<unknown> = new ExponentialBackoff({ initialDelay: 250, maxDelay: 5_000 }).next();
      let current = running;
      let record: StepRecord;
      for (let tries = 0; ; tries += 1) {
        try {
          const config = specOf(node.kind).configSchema.parse(node.config) as Record<string, unknown>;
          const result: NodeResult = await withTimeout(settings.timeoutSeconds, inner.signal, async (stepSignal) => {
            for (let prior = previous; ;) {
              const visit = await executor.execute({
                runId: spec.runId,
                node: { ...node, config },
                runInput: spec.input,
                graph: spec.graph,
                outputs,
                vars,
                secrets,
                labels,
                previous: prior,
                depth: spec.depth,
                conversation: spec.conversation ?? null,
                ports,
                signal: stepSignal,
                onDelta: (text) => onDelta?.(node.id, redact(text)),
              });
              // A run that decides its own reviews: the review just asked for is decided; visit again.
              if (visit.status !== "waiting" || !ports.reviews.decidesAtOnce || prior?.waitingOn === visit.waitingOn)
                return visit;
              prior = { ...current, status: "waiting", input: visit.input, waitingOn: visit.waitingOn };
            }
          });
          record =
            result.status === "waiting"
              ? { ...current, status: "waiting", input: redact(result.input), waitingOn: result.waitingOn }
              : {
                  ...current,
                  status: "done",
                  input: redact(result.input),
                  output: redact(result.output),
                  handle: result.handle ?? null,
                  usage: result.usage,
                  ...(result.logs?.length && { logs: redact(result.logs) }),
                  endedAt: clock.now(),
                };
          break;
        } catch (error) {
          if (stopOf(inner.signal)?.kind === "interrupted") return { nodeId: node.id, record: current };
          const message = redact(
            inner.signal.aborted
              ? (stopOf(inner.signal)?.message ?? "Cancelled")
              : error instanceof Error
                ? error.message
                : String(error),
          );
          const failed: StepRecord = {
            ...current,
            status: "failed",
            error: message,
            ...(error instanceof NodeError && error.logs && { logs: redact(error.logs) }),
            ...(error instanceof NodeError && error.input !== undefined && { input: redact(error.input) }),
            endedAt: clock.now(),
          };
          if (tries < retries && !inner.signal.aborted) {
            // Each attempt is its own step record: the trace shows every try and why it failed.
            await persist({
              steps: [failed],
              events: [
                {
                  type: "step.failed",
                  nodeId: node.id,
                  payload: { attempt: current.attempt, error: message, retrying: true },
                },
              ],
            });
            await pause(backoff.duration, inner.signal).catch(() => undefined);
            backoff = backoff.next(undefined);
            current = { ...running, attempt: current.attempt + 1, startedAt: clock.now() };
            unsaved.steps.push(current);
            unsaved.events.push({
              type: "step.started",
              nodeId: node.id,
              payload: { attempt: current.attempt, retry: true },
            });
            if (!executor.pure) await persist({ steps: [], events: [] }, true);
            continue;
          }
          // "On error, continue with": the failure becomes the step's "error" output.
          record =
            // A refused stand-in (nothing may answer the step) fails the run: no way around it.
            settings.onError === "branch" && !inner.signal.aborted && standIn?.as !== "refused"
              ? { ...failed, handle: "error", output: { error: message } }
              : failed;
          break;
        }
      }
      const type =
        record.status === "done" ? "step.completed" : record.status === "waiting" ? "step.waiting" : "step.failed";
      await persist({
        steps: [record],
        events:
          resuming && record.status === "waiting"
            ? []
            : [
                {
                  type,
                  nodeId: node.id,
                  payload: {
                    attempt: record.attempt,
                    output: record.output,
                    handle: record.handle,
                    error: record.error,
                    usage: record.usage,
                    waitingOn: record.waitingOn,
                    logs: record.logs,
                    // Not run: answered as given before the run (the run page says from where).
                    ...(standIn && standIn.as !== "refused" && { reused: true, [standIn.as]: true }),
                  },
                },
              ],
      });
      return { nodeId: node.id, record };
    })();
    inFlight.set(node.id, work);
  };

  // Which nodes can start, decided again after each step from what it leads to.
  const planner = new Planner(graph, waits);
  let failure: StepRecord | undefined;
  try {
    for (;;) {
      if (signal.aborted) break;
      // Skips can make more nodes skippable: settle them all before starting work.
      for (let plan = planner.next(steps); ; plan = planner.next(steps)) {
        if (!failure) for (const id of plan.ready) if (!inFlight.has(id)) start(nodes.get(id)!);
        if (plan.skip.length === 0) break;
        for (const id of plan.skip) {
          const record: StepRecord = {
            nodeId: id,
            kind: nodes.get(id)!.kind,
            attempt: 1,
            status: "skipped",
            startedAt: clock.now(),
            endedAt: clock.now(),
          };
          steps.set(id, record);
          planner.settled(id);
          writeBehind({ steps: [record], events: [{ type: "step.skipped", nodeId: id }] });
        }
      }
      if (inFlight.size === 0) break;
      const { nodeId, record } = await Promise.race(inFlight.values());
      inFlight.delete(nodeId);
      steps.set(nodeId, record);
      planner.settled(nodeId);
      addOutput(record);
      if (record.status === "failed" && record.handle !== "error" && !failure) {
        failure = record;
        inner.abort(new Error(`Step ${nodeId} failed`));
      }
    }
  } catch (error) {
    // A write failed (or a step's bookkeeping threw): stop every branch and let them end before
    // the caller records anything, so nothing of this run is written after it.
    inner.abort(error);
    await Promise.allSettled(inFlight.values());
    throw error;
  } finally {
    signal.removeEventListener("abort", abort);
  }
  await Promise.allSettled(inFlight.values());
  // Every write asked for is done before the run lets go or settles.
  await store.save(spec.runId, {}).catch((error: unknown) => (writeFailure ??= error));

  const stop = stopOf(signal);
  if (stop?.kind === "interrupted") return { status: "interrupted" };
  if (writeFailure !== undefined) throw writeFailure;
  const settlement = settlementOf(spec, steps, labels, signal, failure);
  await store.settle(spec.runId, settlement);
  return settlement;
}

/** How the run ended (or why it waits), once no step is in flight. */
function settlementOf(
  spec: RunSpec,
  steps: Map<string, StepRecord>,
  labels: Map<string, string>,
  signal: AbortSignal,
  failure: StepRecord | undefined,
): RunSettlement {
  const stop = stopOf(signal);
  if (stop?.kind === "deadline") return { status: "failed", error: stop.message };
  if (signal.aborted) return { status: "cancelled" };
  if (failure)
    return {
      status: "failed",
      error: `${labels.get(failure.nodeId)} failed: ${failure.error}`,
      nodeId: failure.nodeId,
    };
  const waiting = [...steps.values()].filter((s) => s.status === "waiting").map((s) => s.nodeId);
  if (waiting.length) return { status: "waiting", waitingOn: waiting };
  return { status: "completed", output: runOutput(topLevel(spec.graph), steps) };
}
