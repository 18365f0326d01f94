import "server-only";
import type { PrismaClient } from "../db/generated/client";
import { toJson } from "../db/json";
import type { RunEventInput, RunStore, StepRecord } from "../engine/ports";
import type { NodeKind } from "../schemas/workflow";

const json = (v: unknown) => (v === undefined ? undefined : toJson({ v }));
const unjson = (v: unknown) => (v && typeof v === "object" && "v" in v ? (v as { v: unknown }).v : undefined);

/**
 * The engine's RunStore on Postgres (or PGlite) through Prisma. A step is one row per node
 * attempt, upserted as it changes; events are numbered per run in the order they are
 * appended (one writer per run: appends are chained, and the number comes from the table).
 */
export class PrismaRunStore implements RunStore {
  private chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly prisma: PrismaClient,
    /** Told of every event once it is stored, with its sequence number. */
    private readonly onEvent?: (runId: string, event: RunEventInput & { seq: number }) => void,
  ) {}

  async steps(runId: string): Promise<StepRecord[]> {
    const rows = await this.prisma.runStep.findMany({ where: { runId }, orderBy: [{ startedAt: "asc" }, { attempt: "asc" }] });
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
      usage: r.inputTokens || r.outputTokens || r.costUsd ? { inputTokens: r.inputTokens, outputTokens: r.outputTokens, costUsd: r.costUsd } : undefined,
      startedAt: r.startedAt.getTime(),
      endedAt: r.endedAt?.getTime(),
    }));
  }

  async saveStep(runId: string, step: StepRecord): Promise<void> {
    const data = {
      kind: step.kind,
      status: step.status,
      input: json(step.input),
      output: json(step.output),
      handle: step.handle ?? null,
      error: step.error ?? null,
      waitingOn: step.waitingOn ?? null,
      inputTokens: step.usage?.inputTokens ?? 0,
      outputTokens: step.usage?.outputTokens ?? 0,
      costUsd: step.usage?.costUsd ?? 0,
      startedAt: new Date(step.startedAt),
      endedAt: step.endedAt ? new Date(step.endedAt) : null,
    };
    await this.prisma.runStep.upsert({
      where: { runId_nodeId_attempt: { runId, nodeId: step.nodeId, attempt: step.attempt } },
      create: { runId, nodeId: step.nodeId, attempt: step.attempt, ...data },
      update: data,
    });
  }

  appendEvent(runId: string, event: RunEventInput): Promise<void> {
    const previous = this.chains.get(runId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const payload = event.payload === undefined ? null : JSON.stringify(event.payload);
      const rows = await this.prisma.$queryRaw<{ seq: number }[]>`
        INSERT INTO "RunEvent" ("runId", "seq", "type", "nodeId", "payload")
        SELECT ${runId}, COALESCE(MAX("seq"), 0) + 1, ${event.type}, ${event.nodeId ?? null}, ${payload}::jsonb
        FROM "RunEvent" WHERE "runId" = ${runId}
        RETURNING "seq"`;
      this.onEvent?.(runId, { ...event, seq: Number(rows[0]!.seq) });
    });
    const settled = next.catch(() => undefined);
    this.chains.set(runId, settled);
    void settled.then(() => this.chains.get(runId) === settled && this.chains.delete(runId));
    return next;
  }
}
