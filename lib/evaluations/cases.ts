import "server-only";
import { parse as parseCsv } from "csv-parse/sync";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { Prisma } from "../db/generated/client";
import { AppError, notFound } from "../errors/app-error";
import { checkRunInput } from "../runs/run-input";
import { caseInputSchema, type CaseInput, type CaseView } from "../schemas/evaluations";
import { runInputOf, runOutputOf } from "../schemas/run";
import { findUnstorable } from "../schemas/storable";
import { workflowGraphSchema, type WorkflowGraph } from "../schemas/workflow";
import { runIdsUnder, withoutRunIds } from "./run-ids";

/** The most cases a workflow keeps: an evaluation runs them all. */
export const MAX_CASES = 500;

type Row = {
  id: string;
  input: unknown;
  expected: unknown;
  rubric: string;
  sourceRunId: string | null;
  createdAt: Date;
};
const view = (c: Row): CaseView => ({
  id: c.id,
  input: runInputOf(c.input),
  expected: c.expected ?? null,
  rubric: c.rubric,
  sourceRunId: c.sourceRunId,
  createdAt: c.createdAt.toISOString(),
});

async function draftOf(workspaceId: string, workflowId: string): Promise<WorkflowGraph> {
  const wf = await (await db()).workflow.findFirst({ where: { id: workflowId, workspaceId, deletedAt: null } });
  if (!wf) throw notFound("Workflow");
  return workflowGraphSchema.parse(wf.graph);
}

async function roomFor(workflowId: string, adding: number) {
  const count = await (await db()).evalCase.count({ where: { workflowId } });
  if (count + adding > MAX_CASES)
    throw new AppError("bad_request", `A workflow keeps at most ${MAX_CASES} test cases; it has ${count}.`);
}

const json = (v: unknown) => (v === undefined || v === null ? undefined : (v as Prisma.InputJsonValue));

/** A workflow's test cases, oldest first. */
export async function listCases(workspaceId: string, workflowId: string): Promise<CaseView[]> {
  await draftOf(workspaceId, workflowId);
  const rows = await (
    await db()
  ).evalCase.findMany({ where: { workflowId, workspaceId }, orderBy: { createdAt: "asc" } });
  return rows.map(view);
}

/** Adds typed cases (the input checked against the draft's Start fields). */
export async function addCases(viewer: Viewer, workflowId: string, cases: CaseInput[]): Promise<CaseView[]> {
  const graph = await draftOf(viewer.workspace.id, workflowId);
  await roomFor(workflowId, cases.length);
  const checked = cases.map((c, i) => {
    const parsed = caseInputSchema.parse(c);
    try {
      return { ...parsed, input: checkRunInput(graph, parsed.input) };
    } catch (error) {
      throw cases.length === 1 ? error : new AppError("bad_request", `Case ${i + 1}: ${(error as Error).message}`);
    }
  });
  const prisma = await db();
  const made = await prisma.$transaction(
    checked.map((c) =>
      prisma.evalCase.create({
        data: {
          workspaceId: viewer.workspace.id,
          workflowId,
          input: c.input as Prisma.InputJsonValue,
          expected: json(c.expected),
          rubric: c.rubric,
        },
      }),
    ),
  );
  return made.map(view);
}

/**
 * "Add to test cases" on a run's page: its input, and its output as the expected one, without the
 * ids of its child runs (they differ on every run: `withoutRunIds`).
 */
export async function addCaseFromRun(viewer: Viewer, runId: string): Promise<CaseView> {
  const prisma = await db();
  const run = await prisma.run.findFirst({ where: { id: runId, workspaceId: viewer.workspace.id, parentRunId: null } });
  if (!run) throw notFound("Run");
  if (run.status !== "COMPLETED")
    throw new AppError("conflict", "Only a completed run's input and output make a test case.");
  await roomFor(run.workflowId, 1);
  return view(
    await prisma.evalCase.create({
      data: {
        workspaceId: run.workspaceId,
        workflowId: run.workflowId,
        input: run.input as Prisma.InputJsonValue,
        expected: json(withoutRunIds(runOutputOf(run.output), await runIdsUnder(prisma, [run.id]))),
        sourceRunId: run.id,
      },
    }),
  );
}

/** Changes a case's expected output or rubric (its input stays: add another case for another input). */
export async function updateCase(
  viewer: Viewer,
  caseId: string,
  change: { expected?: unknown; rubric?: string },
): Promise<CaseView> {
  const prisma = await db();
  const found = await prisma.evalCase.findFirst({ where: { id: caseId, workspaceId: viewer.workspace.id } });
  if (!found) throw notFound("Test case");
  return view(
    await prisma.evalCase.update({
      where: { id: caseId },
      data: {
        ...(change.expected !== undefined && {
          expected: change.expected === null ? Prisma.DbNull : json(change.expected),
        }),
        ...(change.rubric !== undefined && { rubric: change.rubric }),
      } as Prisma.EvalCaseUpdateInput,
    }),
  );
}

export async function deleteCase(viewer: Viewer, caseId: string): Promise<void> {
  const res = await (await db()).evalCase.deleteMany({ where: { id: caseId, workspaceId: viewer.workspace.id } });
  if (res.count === 0) throw notFound("Test case");
}

/**
 * Cases from a file. CSV: a header row; the columns `expected` and `rubric` are those, every
 * other column an input field. JSONL: one `{ "input": {…}, "expected": …, "rubric": "…" }` per
 * line. All or nothing: every problem is named by row (or line) and column.
 */
export function parseCases(format: "csv" | "jsonl", text: string): CaseInput[] {
  const problems: { path: string; message: string }[] = [];
  const cases: CaseInput[] = [];
  if (format === "jsonl") {
    text.split(/\r?\n/).forEach((line, i) => {
      if (!line.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return void problems.push({ path: `line ${i + 1}`, message: "not valid JSON." });
      }
      // What the database cannot store (a NUL, a lone surrogate, JSON nested too deep), named here, not a 500.
      const unstorable = findUnstorable(value, `line ${i + 1}`);
      if (unstorable) return void problems.push({ path: unstorable.path, message: `${unstorable.message}.` });
      const parsed = caseInputSchema.safeParse(value);
      if (parsed.success) cases.push(parsed.data);
      else
        for (const issue of parsed.error.issues)
          problems.push({ path: `line ${i + 1}, ${issue.path.join(".") || "the case"}`, message: `${issue.message}.` });
    });
  } else {
    let rows: Record<string, string>[];
    try {
      rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
    } catch (error) {
      const e = error as { lines?: number; message: string };
      throw new AppError("bad_request", `Row ${e.lines ?? "?"}: ${e.message.replace(/^Invalid [^:]*: /, "")}`, {
        fields: [{ path: `row ${e.lines ?? "?"}`, message: e.message }],
      });
    }
    rows.forEach((row, i) => {
      const unstorable = findUnstorable(row, `row ${i + 2}`);
      if (unstorable) return void problems.push({ path: unstorable.path, message: `${unstorable.message}.` });
      const { expected, rubric, ...input } = row;
      cases.push({ input, ...(expected ? { expected } : {}), rubric: rubric ?? "" });
    });
  }
  if (problems.length)
    throw new AppError("bad_request", `${problems[0]!.path}: ${problems[0]!.message}`, { fields: problems });
  if (!cases.length) throw new AppError("bad_request", "The file has no cases.");
  return cases;
}

/** Imports cases from a file, each input checked against the draft's Start fields (named by row and column). */
export async function importCases(
  viewer: Viewer,
  workflowId: string,
  file: { format: "csv" | "jsonl"; text: string },
): Promise<CaseView[]> {
  const cases = parseCases(file.format, file.text);
  const graph = await draftOf(viewer.workspace.id, workflowId);
  // A CSV's first row is its header: the first case is row 2.
  const where = (i: number) => (file.format === "csv" ? `row ${i + 2}` : `case ${i + 1}`);
  const problems = cases.flatMap((c, i) => {
    try {
      checkRunInput(graph, c.input);
      return [];
    } catch (error) {
      const fields = error instanceof AppError ? (error.extra.fields ?? []) : [];
      return fields.map((f) => ({
        path: `${where(i)}, column “${f.path.replace(/^body\.input\./, "")}”`,
        message: f.message,
      }));
    }
  });
  if (problems.length)
    throw new AppError("bad_request", `${problems[0]!.path}: ${problems[0]!.message}`, { fields: problems });
  return addCases(viewer, workflowId, cases);
}
