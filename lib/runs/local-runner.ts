import "server-only";
import type { KeyLimits } from "../schemas/api-key";
import type { Role } from "../schemas/identity";
import { processSingleton } from "../process/singleton";

/** A run as its worker needs it: read by the statement that claims it, or known when it was created here. */
export interface ClaimedRun {
  id: string;
  workspaceId: string;
  workflowId: string;
  version: number | null;
  graph: unknown;
  input: unknown;
  /** A chat's run: the conversation before its message (`Conversation`), else null. */
  conversation: unknown;
  /** Steps answered without running them, and reviews the run decides itself (`StandIns`), else null. */
  standIns: unknown;
  startedById: string | null;
  parentRunId: string | null;
  depth: number;
  createdAtMs: number;
  deadlineMs: number | null;
  cancelRequested: boolean;
  /** The starter's role in the workspace now (null: no longer an active member). */
  starterRole: Role | null;
  /** No step recorded yet: the engine need not read them. */
  fresh: boolean;
  /** The API key that started the run, and its limits when it is an application key. */
  apiKeyId: string | null;
  applicationKey: KeyLimits | null;
}

/**
 * This process's run worker, when it has one: a run started here is created already leased to
 * it and executed at once, with no job, no notification and no poll between the click and the
 * first step. If the process dies first, the lease runs out and the sweep of any worker hands
 * the run to the queue (lib/execution/run-worker).
 */
export interface LocalRunner {
  /** Room for one more run now: reserved until `run` or `release`. Null when there is none (or stopping). */
  reserve(): { owner: string; leaseSeconds: number; run(claimed: ClaimedRun): void; release(): void } | null;
}

const slot = () => processSingleton("local-runner", () => ({ runner: null as LocalRunner | null }));

export const setLocalRunner = (runner: LocalRunner | null): void => void (slot().runner = runner);
export const localRunner = (): LocalRunner | null => slot().runner;
