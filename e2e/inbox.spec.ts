import { expect, test } from "./support/fixtures";
import { addMember, signInThroughPage } from "./support/people";

async function startDemoRun(api: import("@playwright/test").APIRequestContext, topic: string): Promise<string> {
  const { workflows } = await (await api.get("/api/workflows")).json();
  const demo = workflows.find((w: { name: string }) => w.name.startsWith("Demo: research brief"));
  const { id } = await (await api.post(`/api/workflows/${demo.id}/runs`, { data: { input: { topic }, mode: "draft" } })).json();
  await expect.poll(async () => (await (await api.get(`/api/runs/${id}`)).json()).status, { timeout: 20_000 }).toBe("WAITING");
  return id;
}

test("a reviewer finds the waiting step in the inbox, edits the content and approves; the run finishes with the edit", async ({ page, adminApi }) => {
  const runId = await startDemoRun(adminApi, "kelp forests");
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInThroughPage(page, reviewer);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
  const item = page.getByTestId("inbox-item").filter({ hasText: "Approve brief" }).first();
  await expect(item).toContainText("Demo: research brief with approval");
  await item.click();

  await expect(page.getByTestId("review")).toContainText("Check the brief for **accuracy** and tone.");
  await expect(page.getByLabel(/Content under review/)).toHaveValue(/kelp forests/);
  await expect(page.getByTestId("review")).toContainText("kelp forests"); // the run so far: input and outputs
  await page.screenshot({ path: "test-results/screens/review.png", fullPage: true });
  await page.getByLabel(/Content under review/).fill("Kelp forests: a brief, edited by the reviewer.");
  await page.getByRole("button", { name: "Approve with my edits" }).click();
  await expect(page).toHaveURL(/\/inbox$/);

  await expect.poll(async () => (await (await adminApi.get(`/api/runs/${runId}`)).json()).output, { timeout: 20_000 }).toBe("Kelp forests: a brief, edited by the reviewer.");
});

test("rejecting with a reason routes the run to the rejected branch", async ({ page, adminApi }) => {
  const runId = await startDemoRun(adminApi, "sea otters");
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInThroughPage(page, reviewer);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  const review = (await (await adminApi.get(`/api/runs/${runId}`)).json()).reviews[0].id;
  await page.goto(`/inbox/${review}`);
  await page.getByLabel(/Comment/).fill("Too vague: name the sources.");
  await page.getByRole("button", { name: "Reject" }).click();
  await expect(page).toHaveURL(/\/inbox$/);
  await expect.poll(async () => (await (await adminApi.get(`/api/runs/${runId}`)).json()).output, { timeout: 20_000 }).toBe("Too vague: name the sources.");
  const run = await (await adminApi.get(`/api/runs/${runId}`)).json();
  expect(run.steps.find((s: { nodeId: string }) => s.nodeId === "result").status).toBe("skipped");
});

test("a builder has no inbox", async ({ page, adminApi }) => {
  const builder = await addMember(adminApi, "BUILDER");
  await signInThroughPage(page, builder);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" })).toHaveCount(0);
  await page.goto("/inbox");
  await expect(page.getByTestId("access-denied")).toBeVisible();
});
