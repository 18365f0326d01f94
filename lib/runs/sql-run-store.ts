import "server-only";
import type { Sql } from "../db/client";
import { retryTransient } from "../db/transient";
import type { RunChange, RunEventInput, RunSettlement, RunStore, StepRecord } from "../engine/ports";
import { storableJson } from "../schemas/storable";
import type { NodeKind } from "../schemas/workflow";
import { notifyFollowersSql, publishRunEvents } from "./live-events";
import { settleRun, type SettleWhen } from "./settle-run";

/** A write refused because the run is no longer this worker's (another took it over). */
export class LeaseLost extends Error {
  override name = "LeaseLost";
  constructor(runId: string) {
    super(`Run ${runId} is no longer this worker's: another worker took it over.`);
  }
}

/** Told of every event once it is stored, with its sequence number (traces, logs). */
export type StoredEventListener = (runId: string, event: RunEventInput & { seq: number }) => void;

const STEP_FIELDS = `"nodeId" text, "kind" text, "attempt" int, "status" text, "input" jsonb, "output" jsonb,
  "handle" text, "error" text, "waitingOn" text, "logs" jsonb, "inputTokens" int, "outputTokens" int, "costUsd" float8,
  "startedAt" float8, "endedAt" float8`;

/**
 * Steps upserted and events appended in ONE statement, so one commit: the steps from a JSON
 * array, the events numbered after the run's last one. On PostgreSQL the same statement
 * notifies the run's followers (`runEvents`, delivered at commit, so never before the rows are
 * there): one notification per write, carrying its events, or only the last sequence number
 * with `truncated` when they do not fit (followers then read the table). With a lease owner
 * ($4), nothing is written unless that worker still holds the run's lease, and the run's row is
 * share-locked until the commit, so a takeover waits for the write instead of racing it.
 */
function writeStatement(notify: boolean): string {
  return `
WITH held AS (
  SELECT 1 FROM "Run" WHERE "id" = $1 AND ($4::text IS NULL OR "leaseOwner" = $4::text) FOR SHARE
), saved AS (
  INSERT INTO "RunStep" ("id", "runId", "nodeId", "kind", "attempt", "status", "input", "output", "handle", "error",
                         "waitingOn", "logs", "inputTokens", "outputTokens", "costUsd", "startedAt", "endedAt")
  SELECT gen_random_uuid()::text, $1, s."nodeId", s."kind", s."attempt", s."status", s."input", s."output", s."handle",
         s."error", s."waitingOn", s."logs", coalesce(s."inputTokens", 0), coalesce(s."outputTokens", 0), coalesce(s."costUsd", 0),
         to_timestamp(s."startedAt" / 1000.0) AT TIME ZONE 'UTC', to_timestamp(s."endedAt" / 1000.0) AT TIME ZONE 'UTC'
  FROM jsonb_to_recordset($2::jsonb) AS s(${STEP_FIELDS})
  WHERE EXISTS (SELECT FROM held)
  ON CONFLICT ("runId", "nodeId", "attempt") DO UPDATE SET
    "kind" = EXCLUDED."kind", "status" = EXCLUDED."status", "input" = EXCLUDED."input", "output" = EXCLUDED."output",
    "handle" = EXCLUDED."handle", "error" = EXCLUDED."error", "waitingOn" = EXCLUDED."waitingOn",
    "logs" = EXCLUDED."logs", "inputTokens" = EXCLUDED."inputTokens", "outputTokens" = EXCLUDED."outputTokens", "costUsd" = EXCLUDED."costUsd",
    "startedAt" = EXCLUDED."startedAt", "endedAt" = EXCLUDED."endedAt"
  RETURNING 1
), appended AS (
  INSERT INTO "RunEvent" ("runId", "seq", "type", "nodeId", "payload")
  SELECT $1, last."seq" + e.n, e.v->>'type', e.v->>'nodeId', e.v->'payload'
  FROM (SELECT coalesce(max("seq"), 0) AS "seq" FROM "RunEvent" WHERE "runId" = $1) last,
       jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(v, n)
  WHERE EXISTS (SELECT FROM held)
  RETURNING "seq", "type", "nodeId", "payload"
)${notify ? `, ${notifyFollowersSql("appended", "$1")}` : ""}
SELECT (SELECT count(*) FROM held)::int AS "held", a."seq"::int AS "seq"
FROM (SELECT 1) AS one LEFT JOIN appended a ON true${notify ? " LEFT JOIN notified ON true" : ""} ORDER BY a."seq"`;
}

const WRITE = writeStatement(false);
const WRITE_NOTIFYING = writeStatement(true);

const wrap = (v: unknown) => (v === undefined ? undefined : { v });
/** A stored input or output as the step made it (they are kept wrapped, so that null and "nothing" differ). */
export const unwrap = (v: unknown) => (v && typeof v === "object" && "v" in v ? (v as { v: unknown }).v : undefined);

/** A batch of changes as one: the last record of each node attempt, every event in order. */
function merge(changes: RunChange[]): { steps: StepRecord[]; events: RunEventInput[] } {
  const steps = new Map<string, StepRecord>();
  const events: RunEventInput[] = [];
  for (const c of changes) {
    for (const s of c.steps ?? []) {
      const key = `${s.nodeId}#${s.attempt}`;
      steps.delete(key); // keeps the order of the last write
      steps.set(key, s);
    }
    events.push(...(c.events ?? []));
  }
  return { steps: [...steps.values()], events };
}

interface Queued {
  change: RunChange;
  done: (error?: unknown) => void;
}

/**
 * The engine's RunStore on PostgreSQL (or PGlite) in plain SQL on the process's pool: the hot
 * path of a run does not go through the ORM. A run's writes keep their order and are grouped:
 * while one statement is on its way, the writes asked for meanwhile wait and leave together as
 * the next one (group commit). So a write costs one commit at most, and a chain of steps
 * without side effects (which the engine does not wait for) costs fewer commits than steps.
 * Every statement is tried again through a dropped connection (lib/db/transient).
 */
export class SqlRunStore implements RunStore {
  private readonly queues = new Map<string, Queued[]>();
  /** A run whose write failed: every later write of it fails too (the order promise would break otherwise). */
  private readonly broken = new Map<string, unknown>();
  private fresh: boolean;
  /** Whether this store settled a run as ended (which let go of its lease in the same statement). */
  ended = false;

  constructor(
    private readonly sql: Sql,
    private readonly options: {
      onEvent?: StoredEventListener;
      /** Who may settle the run through this store: the worker holding its lease, or anyone (tests). */
      settleWhen?: SettleWhen;
      /** The worker whose lease every write needs (a worker that lost the run writes nothing more). */
      leaseOwner?: string;
      /** The run has no steps yet (known when it was claimed): the first read needs no statement. */
      fresh?: boolean;
      /** Called before each write (the run's buffered token deltas go out before the step's end). */
      beforeWrite?: () => Promise<void>;
    } = {},
  ) {
    this.fresh = options.fresh ?? false;
  }

  async steps(runId: string): Promise<StepRecord[]> {
    if (this.fresh) {
      this.fresh = false;
      return [];
    }
    return readSteps(this.sql, runId);
  }

  save(runId: string, change: RunChange): Promise<void> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(runId);
      const first = !queue;
      if (!queue) this.queues.set(runId, (queue = []));
      queue.push({ change, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (first) void this.drain(runId, queue);
    });
  }

  /** After every write asked for before it: status, rollup and event in one statement (settleRun). */
  async settle(runId: string, settlement: RunSettlement): Promise<boolean> {
    await this.save(runId, {});
    const settled = await retryTransient(() =>
      settleRun(this.sql, runId, settlement, this.options.settleWhen ?? "unheld", this.options.onEvent),
    );
    if (settled && settlement.status !== "waiting") this.ended = true;
    return settled;
  }

  private async drain(runId: string, queue: Queued[]): Promise<void> {
    // Lets the writes the engine asks for before it next waits on I/O join the first statement.
    await new Promise((resolve) => setImmediate(resolve));
    while (queue.length) {
      const batch = queue.splice(0);
      try {
        if (this.broken.has(runId)) throw this.broken.get(runId);
        await this.write(runId, merge(batch.map((q) => q.change)));
        for (const q of batch) q.done();
      } catch (error) {
        const failure = error ?? new Error("write failed");
        this.broken.set(runId, failure);
        for (const q of batch) q.done(failure);
      }
    }
    this.queues.delete(runId);
  }

  private async write(runId: string, change: { steps: StepRecord[]; events: RunEventInput[] }): Promise<void> {
    if (!change.steps.length && !change.events.length) return;
    await this.options.beforeWrite?.();
    const steps = change.steps.map((s) => ({ ...s, input: wrap(s.input), output: wrap(s.output), ...s.usage }));
    const events = change.events.map((e) => ({ type: e.type, nodeId: e.nodeId, payload: e.payload }));
    const notify = this.sql.kind === "postgres";
    const rows = await retryTransient(() =>
      this.sql.query<{ held: number; seq: number }>(
        notify ? WRITE_NOTIFYING : WRITE,
        // A step's words (a model's, a tool's, an HTTP answer's) may hold a NUL or a lone surrogate,
        // which jsonb refuses: stored as U+FFFD, so no value a run makes can stop its writes.
        [runId, storableJson(steps), storableJson(events), this.options.leaseOwner ?? null],
        "flowdeck_run_write",
      ),
    );
    if (!rows[0]?.held) throw new LeaseLost(runId);
    const stored = change.events.map((e, i) => ({ ...e, seq: rows[i]!.seq }));
    // The embedded database has one process: its followers hear the events here.
    if (!notify && stored.length) publishRunEvents(runId, stored);
    if (this.options.onEvent) for (const e of stored) this.options.onEvent(runId, e);
  }
}

interface StepRow {
  nodeId: string;
  kind: string;
  attempt: number;
  status: string;
  input: unknown;
  output: unknown;
  handle: string | null;
  error: string | null;
  waitingOn: string | null;
  logs: string[] | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  startedAt: number;
  endedAt: number | null;
}

const READ_STEPS = `
SELECT "nodeId", "kind", "attempt", "status", "input", "output", "handle", "error", "waitingOn", "logs",
       "inputTokens", "outputTokens", "costUsd",
       (extract(epoch FROM "startedAt") * 1000)::float8 AS "startedAt", (extract(epoch FROM "endedAt") * 1000)::float8 AS "endedAt"
FROM "RunStep" WHERE "runId" = $1 ORDER BY "startedAt", "attempt"`;

function stepOf(r: StepRow): StepRecord {
  return {
    nodeId: r.nodeId,
    kind: r.kind as NodeKind,
    attempt: r.attempt,
    status: r.status as StepRecord["status"],
    input: unwrap(r.input),
    output: unwrap(r.output),
    handle: r.handle,
    error: r.error ?? undefined,
    waitingOn: r.waitingOn ?? undefined,
    ...(r.logs && { logs: r.logs }),
    usage:
      r.inputTokens || r.outputTokens || r.costUsd
        ? { inputTokens: r.inputTokens, outputTokens: r.outputTokens, costUsd: r.costUsd }
        : undefined,
    startedAt: Math.round(r.startedAt),
    endedAt: r.endedAt === null ? undefined : Math.round(r.endedAt),
  };
}

/** A run's steps, every attempt, as the engine records them (for the run page too). */
export async function readSteps(sql: Sql, runId: string): Promise<StepRecord[]> {
  return (await retryTransient(() => sql.query<StepRow>(READ_STEPS, [runId], "flowdeck_run_steps"))).map(stepOf);
}
