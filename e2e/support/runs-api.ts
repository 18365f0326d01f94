import { expect, type APIRequestContext } from "@playwright/test";

/** The id of the demo workflow every new workspace has (Start → research → draft → approve → result). */
export async function demoWorkflowId(api: APIRequestContext): Promise<string> {
  const { workflows } = await (await api.get("/api/workflows")).json();
  return workflows.find((w: { name: string }) => w.name.startsWith("Demo: research brief")).id;
}

/** Starts a test run of a workflow's draft; returns the run's id. */
export async function startDraftRun(
  api: APIRequestContext,
  workflowId: string,
  input: Record<string, unknown> = {},
): Promise<string> {
  const res = await api.post(`/api/workflows/${workflowId}/runs`, { data: { input, mode: "draft" } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

export async function runOf(api: APIRequestContext, runId: string) {
  return (await api.get(`/api/runs/${runId}`)).json();
}

/** Waits until a run has this status ("WAITING", "COMPLETED", "FAILED"…). */
export async function waitForRunStatus(
  api: APIRequestContext,
  runId: string,
  status: string,
  timeout = 20_000,
): Promise<void> {
  await expect.poll(async () => (await runOf(api, runId)).status, { timeout }).toBe(status);
}
