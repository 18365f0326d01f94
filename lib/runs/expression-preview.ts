import "server-only";
import { db, database } from "../db/client";
import { evaluateExpression, expressionData } from "../engine/expression/evaluate-expression";
import { notFound } from "../errors/app-error";
import { runCode } from "../sandbox/run-code";
import { readSteps } from "./sql-run-store";
import { runInputOf } from "../schemas/run";

/**
 * A Transform step's mapping (JSONata) or a Code step's JavaScript tried on the data of the
 * workflow's last run, for the inspector's live preview: the same data a step would read
 * (`{ nodes: { <id>: { output } }, input }`, each step's last finished attempt) and the same
 * limits as a run.
 */
export interface ExpressionPreview {
  /** The run the preview read, or null when the workflow has not run yet. */
  run: { id: string; createdAt: string; status: string } | null;
  /** For a step inside a Loop: which item's run it read (the first of the last run's), or null when none ran. */
  item?: { index: number; runId: string } | null;
  /** The value as JSON text (cut at 20,000 characters); absent after an error. */
  json?: string;
  truncated?: boolean;
  error?: string;
  /** The code's console lines (Code only). */
  logs?: string[];
}

const SHOWN_CHARS = 20_000;

/**
 * The data a step of the workflow's last run (not a child run) would have read, and which run
 * that was; for a step inside Loops (`loops`, outermost first), the data of that run's first item
 * of each in turn (its item, index and shared inputs, and the steps inside that ran), as the
 * step reads them.
 */
async function lastRunData(workspaceId: string, workflowId: string, loops: string[] = []) {
  const prisma = await db();
  const workflow = await prisma.workflow.findFirst({ where: { id: workflowId, workspaceId }, select: { id: true } });
  if (!workflow) throw notFound("Workflow");
  const run = await prisma.run.findFirst({
    where: { workspaceId, workflowId, parentRunId: null, status: { not: "QUEUED" } },
    orderBy: { createdAt: "desc" },
    select: { id: true, createdAt: true, status: true, input: true },
  });
  // Down one first item per Loop, outermost first (an inner Loop's items belong to an outer item's run).
  let item: { id: string; input: unknown; parentItem: number | null } | null = null;
  let parent: { id: string } | null = run;
  for (const loopId of loops) {
    item = parent
      ? await prisma.run.findFirst({
          where: { workspaceId, parentRunId: parent.id, parentNodeId: loopId },
          orderBy: [{ parentItem: "asc" }, { createdAt: "asc" }],
          select: { id: true, input: true, parentItem: true },
        })
      : null;
    parent = item;
  }
  const read = loops.length ? item : run;
  const outputs: Record<string, unknown> = {};
  if (read)
    for (const step of await readSteps((await database()).sql, read.id))
      if (step.status === "done") outputs[step.nodeId] = step.output;
  return {
    run: run && { id: run.id, createdAt: run.createdAt.toISOString(), status: run.status },
    ...(loops.length > 0 && { item: item && { index: item.parentItem ?? 0, runId: item.id } }),
    data: expressionData(outputs, read ? runInputOf(read.input) : {}),
  };
}

function shown(value: unknown): Pick<ExpressionPreview, "json" | "truncated"> {
  const json = JSON.stringify(value ?? null, null, 2);
  return json.length > SHOWN_CHARS ? { json: json.slice(0, SHOWN_CHARS), truncated: true } : { json };
}

export async function previewExpression(
  workspaceId: string,
  workflowId: string,
  expression: string,
  loops?: string[],
): Promise<ExpressionPreview> {
  const { data, ...read } = await lastRunData(workspaceId, workflowId, loops);
  try {
    return { ...read, ...shown(await evaluateExpression(expression, data)) };
  } catch (error) {
    return { ...read, error: (error as { message?: string }).message ?? String(error) };
  }
}

/** A Code step's JavaScript run in the sandbox, within the step's own limits. */
export async function previewCode(
  workspaceId: string,
  workflowId: string,
  step: { code: string; timeLimitSeconds: number; memoryMb: number },
  loops?: string[],
): Promise<ExpressionPreview> {
  const { data, ...read } = await lastRunData(workspaceId, workflowId, loops);
  const result = await runCode({
    code: step.code,
    data,
    timeoutMs: Math.round(step.timeLimitSeconds * 1000),
    memoryMb: step.memoryMb,
  }).catch((error: unknown) => ({ ok: false as const, error: (error as Error).message, logs: [] as string[] }));
  const logs = result.logs.length ? { logs: result.logs } : {};
  return result.ok ? { ...read, ...shown(result.value), ...logs } : { ...read, error: result.error, ...logs };
}
