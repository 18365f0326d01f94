import "server-only";
import { db, database } from "../db/client";
import { evaluateExpression, expressionData } from "../engine/expression/evaluate-expression";
import { notFound } from "../errors/app-error";
import { readSteps } from "./sql-run-store";
import { runInputOf } from "../schemas/run";

/**
 * A mapping (a Transform step's JSONata) tried on the data of the workflow's last run, for the
 * inspector's live preview: the same data a step would read (`{ nodes: { <id>: { output } },
 * input }`, each step's last finished attempt) and the same limits as a run.
 */
export interface ExpressionPreview {
  /** The run the preview read, or null when the workflow has not run yet. */
  run: { id: string; createdAt: string; status: string } | null;
  /** The value as JSON text (cut at 20,000 characters); absent after an error. */
  json?: string;
  truncated?: boolean;
  error?: string;
}

const SHOWN_CHARS = 20_000;

export async function previewExpression(
  workspaceId: string,
  workflowId: string,
  expression: string,
): Promise<ExpressionPreview> {
  const prisma = await db();
  const workflow = await prisma.workflow.findFirst({ where: { id: workflowId, workspaceId }, select: { id: true } });
  if (!workflow) throw notFound("Workflow");
  const run = await prisma.run.findFirst({
    where: { workspaceId, workflowId, parentRunId: null, status: { not: "QUEUED" } },
    orderBy: { createdAt: "desc" },
    select: { id: true, createdAt: true, status: true, input: true },
  });
  const outputs: Record<string, unknown> = {};
  if (run)
    for (const step of await readSteps((await database()).sql, run.id))
      if (step.status === "done") outputs[step.nodeId] = step.output;
  const shown = run && { id: run.id, createdAt: run.createdAt.toISOString(), status: run.status };
  try {
    const value = await evaluateExpression(expression, expressionData(outputs, run ? runInputOf(run.input) : {}));
    const json = JSON.stringify(value ?? null, null, 2);
    return json.length > SHOWN_CHARS
      ? { run: shown, json: json.slice(0, SHOWN_CHARS), truncated: true }
      : { run: shown, json };
  } catch (error) {
    return { run: shown, error: (error as { message?: string }).message ?? String(error) };
  }
}
