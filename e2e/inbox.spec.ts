import { expect, test } from "./support/fixtures";
import { InboxPage } from "./support/inbox-page";
import { addMember, signedInApi, signInToHome } from "./support/people";
import { ReviewPage } from "./support/review-page";
import { createReviewWorkflow, runToReview, waitForReview } from "./support/reviews";
import { demoWorkflowId, runOf, startDraftRun, waitForRunStatus } from "./support/runs-api";

/** Starts the demo workflow (research → draft → approve) and waits for its review. */
async function startDemoRun(api: import("@playwright/test").APIRequestContext, topic: string): Promise<string> {
  const runId = await startDraftRun(api, await demoWorkflowId(api), { topic });
  await waitForRunStatus(api, runId, "WAITING");
  return runId;
}

test("a reviewer finds the waiting step in the inbox, edits the content and approves; the run finishes with the edit @smoke", async ({
  page,
  adminApi,
}) => {
  const runId = await startDemoRun(adminApi, "kelp forests");
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInToHome(page, reviewer);
  const inbox = new InboxPage(page);
  await inbox.openFromNavigation();
  await expect(inbox.itemsFor("Approve brief").first()).toContainText("Demo: research brief with approval");
  const review = await inbox.openReview("Approve brief");

  // The instructions are rendered markdown; the content is shown readably, editable on request.
  await expect(review.instructions()).toContainText("Check the brief for accuracy and tone.");
  await expect(review.instructions().locator("strong", { hasText: "accuracy" })).toBeVisible();
  await expect(review.contentView()).toContainText("kelp forests");
  await expect(review.review()).toContainText("kelp forests"); // the run so far: input and outputs
  await page.screenshot({ path: "test-results/screens/review.png", fullPage: true });
  await review.edit();
  await expect(review.contentEditor()).toHaveValue(/kelp forests/);
  await review.rewriteContent("Kelp forests: a brief, edited by the reviewer.");
  await review.approveWithEdits();
  await review.expectBackInInbox();

  await expect
    .poll(async () => (await runOf(adminApi, runId)).output, { timeout: 20_000 })
    .toBe("Kelp forests: a brief, edited by the reviewer.");

  // The history shows who decided, and what they changed.
  await inbox.showDecided();
  const decided = inbox.decided("Approve brief").filter({ hasText: reviewer.name }).first();
  await expect(decided).toContainText("approved");
  await expect(decided).toContainText(`by ${reviewer.name}`);
  await expect(decided.getByTestId("history-diff").locator("ins", { hasText: "Kelp forests" })).toHaveCount(1); // added by the reviewer
  await expect(
    decided.getByTestId("history-diff").locator("del", { hasText: "Simulated demo model" }).first(),
  ).toBeVisible(); // removed
  await page.screenshot({ path: "test-results/screens/review-history.png", fullPage: true });
});

test("rejecting with a reason routes the run to the rejected branch", async ({ page, adminApi }) => {
  const runId = await startDemoRun(adminApi, "sea otters");
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInToHome(page, reviewer);
  const review = new ReviewPage(page);
  await review.open(await waitForReview(adminApi, runId));
  await review.reject(); // no reason yet: asked for one, nothing recorded
  await expect(page.getByText("Give a reason for rejecting first")).toBeVisible();
  await expect(review.reason()).toBeFocused();
  await review.rejectWith("Too vague: name the sources.");
  await review.expectBackInInbox();
  await expect
    .poll(async () => (await runOf(adminApi, runId)).output, { timeout: 20_000 })
    .toBe("Too vague: name the sources.");
  const run = await runOf(adminApi, runId);
  expect(run.steps.find((s: { nodeId: string }) => s.nodeId === "result").status).toBe("skipped");
});

test("a builder has no inbox", async ({ page, adminApi }) => {
  const builder = await addMember(adminApi, "BUILDER");
  await signInToHome(page, builder);
  const inbox = new InboxPage(page);
  await expect(inbox.navigationLink()).toHaveCount(0);
  await inbox.open();
  await expect(page.getByTestId("access-denied")).toBeVisible();
});

test("the inbox is live: new reviews appear with a count in the navigation without a reload; several are approved at once", async ({
  page,
  adminApi,
}) => {
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInToHome(page, reviewer);
  const inbox = new InboxPage(page);
  await inbox.openFromNavigation();
  // What the reviewer may decide now (not the admin: an earlier test's run the admin started
  // waits in the reviewer's inbox but not in the admin's, who may not decide their own runs),
  // taken once it holds still for a second (a run may still be reaching its review).
  const pending = async () => ((await (await page.request.get("/api/reviews")).json()) as { total: number }).total;
  let before = await pending();
  for (let again = -1; again !== before;) {
    again = before;
    await new Promise((r) => setTimeout(r, 1000));
    before = await pending();
  }

  // Three runs reach their review while the reviewer looks at the inbox.
  const demo = await demoWorkflowId(adminApi);
  const runIds: string[] = [];
  for (const topic of ["sea otters", "sea urchins", "sea stars"])
    runIds.push(await startDraftRun(adminApi, demo, { topic }));
  await expect(inbox.count()).toHaveText(String(before + 3), { timeout: 20_000 });
  await expect(inbox.items()).toHaveCount(before + 3);
  // They arrived a moment ago, not "in 4 seconds" (the page's clock moves every 30 s).
  await expect(inbox.items().last()).toContainText(/(now|seconds? ago)$/);
  await expect(inbox.items().filter({ hasText: /in \d+ seconds?$/ })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/inbox-live.png" });

  // Select the three (the newest) and approve them together.
  for (let i = before; i < before + 3; i++) await inbox.select(i);
  await expect(inbox.bulkBar()).toContainText("3 selected");
  await expect(inbox.rejectSelectedButton(3)).toBeDisabled(); // a reason first
  await inbox.approveSelected(3);
  await expect(inbox.bulkResult()).toHaveText("3 reviews approved.");
  await expect(inbox.items()).toHaveCount(before);
  for (const id of runIds) await waitForRunStatus(adminApi, id, "COMPLETED");
  if (before === 0) await expect(inbox.count()).toHaveCount(0);
});

test("the person who started a run cannot decide its review unless the step allows it", async ({
  adminApi,
  studio,
}) => {
  const n = (id: string, kind: string, config: Record<string, unknown>, x: number) => ({
    id,
    kind,
    label: id,
    position: { x, y: 0 },
    config,
  });
  const wf = await (
    await adminApi.post("/api/workflows", {
      data: {
        name: "Four eyes",
        graph: {
          nodes: [
            n("start", "start", { fields: [] }, 0),
            n(
              "check",
              "human-review",
              { instructions: "Second pair of eyes", reviewerRole: "REVIEWER", allowSelfApproval: false },
              1,
            ),
            n("out", "output", { value: "ok" }, 2),
          ],
          edges: [
            { id: "e1", source: "start", target: "check" },
            { id: "e2", source: "check", target: "out", sourceHandle: "approved" },
          ],
        },
      },
    })
  ).json();
  const reviewId = await waitForReview(adminApi, await startDraftRun(adminApi, wf.id));
  expect((await (await adminApi.get("/api/reviews")).json()).items.some((r: { id: string }) => r.id === reviewId)).toBe(
    false,
  ); // not in their inbox
  const own = await adminApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved" } });
  expect(own.status()).toBe(403);
  expect((await own.json()).error.message).toContain("You started this run");
  const reviewerApi = await signedInApi(studio.url, await addMember(adminApi, "REVIEWER"));
  expect(
    (await reviewerApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved" } })).status(),
  ).toBe(200);
  await reviewerApi.dispose();
});

test("a reviewer who opens a review only admins may decide is told whose it is, and sees nothing of it", async ({
  page,
  adminApi,
}) => {
  const wf = await createReviewWorkflow(adminApi, "Admins only", { reviewerRole: "ADMIN" });
  const { reviewId } = await runToReview(adminApi, wf, "board minutes");
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInToHome(page, reviewer);
  const review = new ReviewPage(page);
  await review.open(reviewId);
  await expect(page.getByTestId("access-denied")).toContainText("This review is for the admin role.");
  await expect(review.review()).toHaveCount(0);
  await expect(page.getByText("board minutes")).toHaveCount(0);
  // Its API answers the same, and takes no comment.
  const api = page.request;
  expect((await api.get(`/api/reviews/${reviewId}`)).status()).toBe(403);
  expect((await api.post(`/api/reviews/${reviewId}/comments`, { data: { body: "peek" } })).status()).toBe(403);
});
