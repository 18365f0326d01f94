import { expect, test } from "./support/fixtures";
import { signInToHome } from "./support/people";
import { createReviewWorkflow, runToReview } from "./support/reviews";

/** The person who started a run and its review: they can act on it, or are told why not and what to do. */
test.beforeEach(async ({ page, admin }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
});

test("a review of your own run that needs someone else is named in the inbox, the run page and the editor, with the reason and what to do", async ({
  page,
  adminApi,
}) => {
  const name = `Four eyes ${Date.now()}`;
  const workflowId = await createReviewWorkflow(adminApi, name, { reviewerRole: "ADMIN", allowSelfApproval: false });
  const { runId } = await runToReview(adminApi, workflowId);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
  const blocked = page.getByRole("region", { name: /Your runs waiting for someone else/ });
  const item = blocked.getByRole("listitem").filter({ hasText: name });
  await expect(item).toContainText("Check it");
  await expect(item).toContainText("You started this run, and this step needs someone else to decide it.");
  await expect(item.getByRole("link", { name: "Invite a reviewer" })).toHaveAttribute("href", "/admin/members");
  await item.getByRole("link", { name: "Open the run" }).click();

  await expect(page).toHaveURL(new RegExp(`/runs/${runId}$`));
  await expect(page.getByText("You started this run, and this step needs someone else to decide it.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Open the review" })).toHaveCount(0);

  await page.goto(`/workflows/${workflowId}`);
  await page.getByRole("tab", { name: "Run" }).click();
  await page
    .getByRole("tabpanel")
    .getByRole("button", { name: /waiting/ })
    .first()
    .click();
  await expect(page.getByRole("tabpanel")).toContainText("You started this run, and this step needs someone else");
  await expect(page.getByRole("tabpanel").getByRole("button", { name: "Approve" })).toHaveCount(0);
});

test("approving beside the waiting step in the editor shows a confirmation, and the run goes on", async ({
  page,
  adminApi,
}) => {
  const workflowId = await createReviewWorkflow(adminApi, `Beside ${Date.now()}`, {
    reviewerRole: "ADMIN",
    allowSelfApproval: true,
  });
  await runToReview(adminApi, workflowId, "second");
  await page.goto(`/workflows/${workflowId}`);
  await page.getByRole("tab", { name: "Run" }).click();
  const panel = page.getByRole("tabpanel");
  await panel
    .getByRole("button", { name: /waiting/ })
    .first()
    .click();
  await expect(panel.getByRole("link", { name: "Open the review" })).toBeVisible();
  await panel.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByText("Approved “Check it”. The run goes on.")).toBeVisible();
  await expect(panel.getByText("completed", { exact: true }).first()).toBeVisible();
});
