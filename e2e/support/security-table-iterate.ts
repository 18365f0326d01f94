import { allow, BUILDERS, type Case } from "./security-table";

/**
 * The security table's rows for iterating safely: pinned outputs, replay, test cases, suites,
 * evaluations and the publish gate. A function: the table calls it once its helpers exist (the
 * two files import each other).
 */
export const iterateRoutes = (): Record<string, Case | Case[]> => ({
  "POST /api/runs/[id]/case": {
    // A waiting run's output is no test case: a 409 after the checks.
    path: (w) => `/api/runs/${w.ids.run}/case`,
    expect: allow(BUILDERS, 409, 404),
  },
  "POST /api/runs/[id]/replay": {
    // Nor replayed: only a run that ended.
    path: (w) => `/api/runs/${w.ids.run}/replay`,
    body: () => ({ nodeId: "start" }),
    expect: allow(BUILDERS, 409, 404),
  },
  "GET /api/workflows/[id]/pins": {
    path: (w) => `/api/workflows/${w.ids.workflow}/pins`,
    expect: allow(BUILDERS, 200, 404),
  },
  "PUT /api/workflows/[id]/pins/[nodeId]": {
    // The draft has no such step: a 400 after the checks.
    path: (w) => `/api/workflows/${w.ids.workflow}/pins/nowhere`,
    body: () => ({ output: "x" }),
    expect: allow(BUILDERS, 400, 404),
  },
  "DELETE /api/workflows/[id]/pins/[nodeId]": {
    path: (w) => `/api/workflows/${w.ids.workflow}/pins/nowhere`,
    expect: allow(BUILDERS, 200, 404),
  },
  "GET /api/workflows/[id]/cases": {
    path: (w) => `/api/workflows/${w.ids.demoWorkflow}/cases`,
    expect: allow(BUILDERS, 200, 404),
  },
  "POST /api/workflows/[id]/cases": {
    // The demo workflow needs a topic: a 400 after the checks, so no case is added.
    path: (w) => `/api/workflows/${w.ids.demoWorkflow}/cases`,
    body: () => ({ cases: [{ input: {}, rubric: "" }] }),
    expect: allow(BUILDERS, 400, 404),
  },
  "POST /api/workflows/[id]/cases/import": {
    path: (w) => `/api/workflows/${w.ids.demoWorkflow}/cases/import`,
    body: () => ({ format: "jsonl", text: '{"input":{}}' }),
    expect: allow(BUILDERS, 400, 404),
  },
  "PATCH /api/cases/[id]": {
    path: () => "/api/cases/nowhere",
    body: () => ({ rubric: "Be brief" }),
    expect: allow(BUILDERS, 404, 404),
  },
  "DELETE /api/cases/[id]": { path: () => "/api/cases/nowhere", expect: allow(BUILDERS, 404, 404) },
  "GET /api/workflows/[id]/gate": {
    path: (w) => `/api/workflows/${w.ids.demoWorkflow}/gate`,
    expect: allow(BUILDERS, 200, 404),
  },
  "GET /api/workflows/[id]/suite": {
    path: (w) => `/api/workflows/${w.ids.demoWorkflow}/suite`,
    expect: allow(BUILDERS, 200, 404),
  },
  "PUT /api/workflows/[id]/suite": {
    path: (w) => `/api/workflows/${w.ids.demoWorkflow}/suite`,
    body: () => ({ evaluators: [], gate: null }),
    expect: allow(BUILDERS, 200, 404),
  },
  "GET /api/workflows/[id]/evaluations": {
    path: (w) => `/api/workflows/${w.ids.demoWorkflow}/evaluations`,
    expect: allow(BUILDERS, 200, 404),
  },
  "POST /api/workflows/[id]/evaluations": {
    // No evaluators: a 400 after the checks, so nothing runs.
    path: (w) => `/api/workflows/${w.ids.demoWorkflow}/evaluations`,
    body: () => ({ on: "draft", concurrency: 2 }),
    expect: allow(BUILDERS, 400, 404),
  },
  "GET /api/evaluations/[id]": { path: () => "/api/evaluations/nowhere", expect: allow(BUILDERS, 404, 404) },
  "POST /api/evaluations/[id]/cancel": {
    path: () => "/api/evaluations/nowhere/cancel",
    expect: allow(BUILDERS, 404, 404),
  },
});
