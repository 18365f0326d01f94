import "server-only";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/client";
import type { RunEventInput, RunSettlement, RunStore, StepRecord } from "../engine/ports";
import type { NodeKind } from "../schemas/workflow";
import { retryTransient } from "../db/transient";
import { settleRun, type SettleWhen } from "./settle-run";

const unjson = (v: unknown) => (v && typeof v === "object" && "v" in v ? (v as { v: unknown }).v : undefined);

/**
 * The engine's RunStore on Postgres (or PGlite) through Prisma. Every statement is tried again
 * through a dropped connection (lib/db/transient), so a database blip delays a run, never fails it. A step is one row per node
 * attempt, upserted as it changes; events are numbered per run in the order they are
 * appended (one writer per run: appends are chained, and the number comes from the table).
 */
export class PrismaRunStore implements RunStore {
  private chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly prisma: PrismaClient,
    /** Told of every event once it is stored, with its sequence number. */
    private readonly onEvent?: (runId: string, event: RunEventInput & { seq: number }) => void,
    /** Who may settle the run through this store: the worker holding its lease, or anyone (tests). */
    private readonly settleWhen: SettleWhen = "unheld",
  ) {}

  async steps(runId: string): Promise<StepRecord[]> {
    const rows = await retryTransient(() =>
      this.prisma.runStep.findMany({
        where: { runId },
        orderBy: [{ startedAt: "asc" }, { attempt: "asc" }],
      }),
    );
    return rows.map((r) => ({
      nodeId: r.nodeId,
      kind: r.kind as NodeKind,
      attempt: r.attempt,
      status: r.status as StepRecord["status"],
      input: unjson(r.input),
      output: unjson(r.output),
      handle: r.handle,
      error: r.error ?? undefined,
      waitingOn: r.waitingOn ?? undefined,
      usage:
        r.inputTokens || r.outputTokens || r.costUsd
          ? { inputTokens: r.inputTokens, outputTokens: r.outputTokens, costUsd: r.costUsd }
          : undefined,
      startedAt: r.startedAt.getTime(),
      endedAt: r.endedAt?.getTime(),
    }));
  }

  /** One statement (insert or update by run, node and attempt): steps are on the hot path. */
  async saveStep(runId: string, step: StepRecord): Promise<void> {
    const j = (v: unknown) => (v === undefined ? null : JSON.stringify({ v }));
    await retryTransient(
      () => this.prisma.$executeRaw`
      INSERT INTO "RunStep" ("id", "runId", "nodeId", "kind", "attempt", "status", "input", "output", "handle", "error", "waitingOn",
                             "inputTokens", "outputTokens", "costUsd", "startedAt", "endedAt")
      VALUES (${randomUUID()}, ${runId}, ${step.nodeId}, ${step.kind}, ${step.attempt}, ${step.status}, ${j(step.input)}::jsonb, ${j(step.output)}::jsonb,
              ${step.handle ?? null}, ${step.error ?? null}, ${step.waitingOn ?? null}, ${step.usage?.inputTokens ?? 0}, ${step.usage?.outputTokens ?? 0},
              ${step.usage?.costUsd ?? 0}, ${new Date(step.startedAt)}, ${step.endedAt ? new Date(step.endedAt) : null})
      ON CONFLICT ("runId", "nodeId", "attempt") DO UPDATE SET
        "kind" = EXCLUDED."kind", "status" = EXCLUDED."status", "input" = EXCLUDED."input", "output" = EXCLUDED."output",
        "handle" = EXCLUDED."handle", "error" = EXCLUDED."error", "waitingOn" = EXCLUDED."waitingOn", "inputTokens" = EXCLUDED."inputTokens",
        "outputTokens" = EXCLUDED."outputTokens", "costUsd" = EXCLUDED."costUsd", "startedAt" = EXCLUDED."startedAt", "endedAt" = EXCLUDED."endedAt"`,
    );
  }

  /** After the events appended before it (same chain), through settleRun: status, rollup and event in one statement. */
  settle(runId: string, settlement: RunSettlement): Promise<boolean> {
    return this.chained(runId, () =>
      retryTransient(() => settleRun(this.prisma, runId, settlement, this.settleWhen, this.onEvent ?? (() => {}))),
    );
  }

  appendEvent(runId: string, event: RunEventInput): Promise<void> {
    return this.chained(runId, async () => {
      const payload = event.payload === undefined ? null : JSON.stringify(event.payload);
      const rows = await retryTransient(
        () => this.prisma.$queryRaw<{ seq: number }[]>`
        INSERT INTO "RunEvent" ("runId", "seq", "type", "nodeId", "payload")
        SELECT ${runId}, COALESCE(MAX("seq"), 0) + 1, ${event.type}, ${event.nodeId ?? null}, ${payload}::jsonb
        FROM "RunEvent" WHERE "runId" = ${runId}
        RETURNING "seq"`,
      );
      this.onEvent?.(runId, { ...event, seq: Number(rows[0]!.seq) });
    });
  }

  /** One writer per run: appends (and the settle) of a run wait for the one before. */
  private chained<T>(runId: string, write: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(runId) ?? Promise.resolve();
    const next = previous.then(write);
    const settled = next.catch(() => undefined);
    this.chains.set(runId, settled);
    void settled.then(() => this.chains.get(runId) === settled && this.chains.delete(runId));
    return next;
  }
}
