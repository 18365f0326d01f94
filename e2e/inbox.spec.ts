import { expect, test } from "./support/fixtures";
import { addMember, signedInApi, signInThroughPage } from "./support/people";

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

  // The instructions are rendered markdown; the content is shown readably, editable on request.
  await expect(page.getByTestId("review-instructions")).toContainText("Check the brief for accuracy and tone.");
  await expect(page.getByTestId("review-instructions").locator("strong", { hasText: "accuracy" })).toBeVisible();
  await expect(page.getByTestId("review-content-view")).toContainText("kelp forests");
  await expect(page.getByTestId("review")).toContainText("kelp forests"); // the run so far: input and outputs
  await page.screenshot({ path: "test-results/screens/review.png", fullPage: true });
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await expect(page.getByLabel("Content under review")).toHaveValue(/kelp forests/);
  await page.getByLabel("Content under review").fill("Kelp forests: a brief, edited by the reviewer.");
  await page.getByRole("button", { name: "Approve with my edits" }).click();
  await expect(page).toHaveURL(/\/inbox$/);

  await expect.poll(async () => (await (await adminApi.get(`/api/runs/${runId}`)).json()).output, { timeout: 20_000 }).toBe("Kelp forests: a brief, edited by the reviewer.");

  // The history shows who decided, and what they changed.
  await page.getByRole("link", { name: "Decided reviews" }).click();
  const decided = page.getByTestId("history-item").filter({ hasText: "Approve brief" }).filter({ hasText: reviewer.name }).first();
  await expect(decided).toContainText("approved");
  await expect(decided).toContainText(`by ${reviewer.name}`);
  await expect(decided.getByTestId("history-diff").locator("ins", { hasText: "Kelp forests" })).toHaveCount(1); // added by the reviewer
  await expect(decided.getByTestId("history-diff").locator("del", { hasText: "Simulated demo model" }).first()).toBeVisible(); // removed
  await page.screenshot({ path: "test-results/screens/review-history.png", fullPage: true });
});

test("rejecting with a reason routes the run to the rejected branch", async ({ page, adminApi }) => {
  const runId = await startDemoRun(adminApi, "sea otters");
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInThroughPage(page, reviewer);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  const review = (await (await adminApi.get(`/api/runs/${runId}`)).json()).reviews[0].id;
  await page.goto(`/inbox/${review}`);
  await page.getByRole("button", { name: "Reject" }).click(); // no reason yet: asked for one, nothing recorded
  await expect(page.getByText("Give a reason for rejecting first")).toBeVisible();
  await expect(page.getByLabel(/Reason/)).toBeFocused();
  await page.getByLabel(/Reason/).fill("Too vague: name the sources.");
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

test("the inbox is live: new reviews appear with a count in the navigation without a reload; several are approved at once", async ({ page, adminApi }) => {
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInThroughPage(page, reviewer);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Inbox/ }).click();
  await expect(page.getByRole("heading", { name: "Inbox" })).toBeVisible();
  const before = (await (await adminApi.get("/api/reviews")).json()).total;

  // Three runs reach their review while the reviewer looks at the inbox.
  const { workflows } = await (await adminApi.get("/api/workflows")).json();
  const demo = workflows.find((w: { name: string }) => w.name.startsWith("Demo: research brief"));
  const topics = ["sea otters", "sea urchins", "sea stars"];
  const runIds: string[] = [];
  for (const topic of topics) runIds.push((await (await adminApi.post(`/api/workflows/${demo.id}/runs`, { data: { input: { topic }, mode: "draft" } })).json()).id);
  await expect(page.getByTestId("inbox-count")).toHaveText(String(before + 3), { timeout: 20_000 });
  await expect(page.getByTestId("inbox-item")).toHaveCount(before + 3);
  await page.screenshot({ path: "test-results/screens/inbox-live.png" });

  // Select the three (the newest) and approve them together.
  const items = page.getByTestId("inbox-list").locator("li");
  for (let i = before; i < before + 3; i++) await items.nth(i).getByRole("checkbox").check();
  await expect(page.getByTestId("bulk-bar")).toContainText("3 selected");
  await expect(page.getByRole("button", { name: "Reject 3" })).toBeDisabled(); // a reason first
  await page.getByRole("button", { name: "Approve 3" }).click();
  await expect(page.getByTestId("bulk-result")).toHaveText("3 reviews approved.");
  await expect(page.getByTestId("inbox-item")).toHaveCount(before);
  for (const id of runIds) await expect.poll(async () => (await (await adminApi.get(`/api/runs/${id}`)).json()).status, { timeout: 20_000 }).toBe("COMPLETED");
  if (before === 0) await expect(page.getByTestId("inbox-count")).toHaveCount(0);
});

test("the person who started a run cannot decide its review unless the step allows it", async ({ adminApi, studio }) => {
  const n = (id: string, kind: string, config: Record<string, unknown>, x: number) => ({ id, kind, label: id, position: { x, y: 0 }, config });
  const wf = await (
    await adminApi.post("/api/workflows", {
      data: {
        name: "Four eyes",
        graph: {
          nodes: [n("start", "start", { fields: [] }, 0), n("check", "human-review", { instructions: "Second pair of eyes", reviewerRole: "REVIEWER", allowSelfApproval: false }, 1), n("out", "output", { value: "ok" }, 2)],
          edges: [{ id: "e1", source: "start", target: "check" }, { id: "e2", source: "check", target: "out", sourceHandle: "approved" }],
        },
      },
    })
  ).json();
  const { id: runId } = await (await adminApi.post(`/api/workflows/${wf.id}/runs`, { data: { input: {}, mode: "draft" } })).json();
  await expect.poll(async () => (await (await adminApi.get(`/api/runs/${runId}`)).json()).status, { timeout: 20_000 }).toBe("WAITING");
  const run = await (await adminApi.get(`/api/runs/${runId}`)).json();
  const reviewId = run.reviews[0].id;
  expect((await (await adminApi.get("/api/reviews")).json()).items.some((r: { id: string }) => r.id === reviewId)).toBe(false); // not in their inbox
  const own = await adminApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved" } });
  expect(own.status()).toBe(403);
  expect((await own.json()).error.message).toContain("You started this run");
  const reviewerApi = await signedInApi(studio.url, await addMember(adminApi, "REVIEWER"));
  expect((await reviewerApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved" } })).status()).toBe(200);
  await reviewerApi.dispose();
});
