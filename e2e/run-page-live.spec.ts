import { expect, test } from "./support/fixtures";
import { InboxPage } from "./support/inbox-page";
import { signInToHome } from "./support/people";
import { createReviewWorkflow, runToReview } from "./support/reviews";
import { RunPage } from "./support/run-page";

test("the run page follows the run to its end when the review is approved from the inbox in another page, every time", async ({
  page,
  context,
  admin,
  adminApi,
}) => {
  test.setTimeout(180_000);
  await signInToHome(page, admin);
  const workflowId = await createReviewWorkflow(adminApi, `Live run page ${Date.now()}`, {
    reviewerRole: "ADMIN",
    allowSelfApproval: true,
  });
  // As a person works: the editor open in one page, the run in another, the inbox in a third.
  const editorTab = await context.newPage();
  await editorTab.goto(`/workflows/${workflowId}`);
  const inboxTab = await context.newPage();
  const inbox = new InboxPage(inboxTab);
  const runPage = new RunPage(page);
  for (const topic of ["kelp", "coral", "seagrass"]) {
    const { runId } = await runToReview(adminApi, workflowId, topic);
    await runPage.open(runId);
    await runPage.expectStatus("waiting");
    await inbox.open();
    const review = await inbox.openReview("Check it");
    await review.approve();
    await review.expectBackInInbox();
    await expect(runPage.status()).toHaveText("completed", { timeout: 10_000 });
    await expect(page.getByText(`approved: Notes on ${topic}`)).toBeVisible();
  }
  await page.screenshot({ path: "test-results/screens/run-page-live.png" });
});

test("the run page reaches the end of the run even when its event stream is cut", async ({ page, admin, adminApi }) => {
  await signInToHome(page, admin);
  const workflowId = await createReviewWorkflow(adminApi, `Cut stream ${Date.now()}`, {
    reviewerRole: "ADMIN",
    allowSelfApproval: true,
  });
  const { runId, reviewId } = await runToReview(adminApi, workflowId, "kelp");
  // A proxy that drops the run's event stream, every time the page opens it.
  let cut = 0;
  await page.route(`**/api/runs/${runId}/events**`, (route) => (cut++, route.abort("connectionreset")));
  const runPage = new RunPage(page);
  await runPage.open(runId);
  await runPage.expectStatus("waiting");
  const decided = await adminApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved" } });
  expect(decided.status(), await decided.text()).toBe(200);
  await expect(runPage.status()).toHaveText("completed", { timeout: 10_000 });
  await expect(page.getByText("approved: Notes on kelp")).toBeVisible();
  expect(cut).toBeGreaterThan(0);
});
