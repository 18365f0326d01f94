import { expect, test } from "./support/fixtures";
import { createReviewWorkflow, runToReview } from "./support/reviews";
import { demoWorkflowId, runOf, startDraftRun, waitForRunStatus } from "./support/runs-api";
import { signInToHome } from "./support/people";
import { audit } from "./support/axe";

/**
 * Every page, checked with axe (WCAG 2.1 A and AA): no serious or critical violation, and one
 * level-1 heading. Pages are shown with real content (a run, a waiting review, an invitation).
 */
test.describe("accessibility @a11y", () => {
  test.describe.configure({ timeout: 120_000 });

  // Each page takes 2 to 4 s to audit (twice that beside another worker): the pages go in groups,
  // each its own test, so no one test carries all of them against its time limit.
  test("the pages around a run and a review have no serious or critical axe violation", async ({
    page,
    admin,
    adminApi,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const demo = await demoWorkflowId(adminApi);
    const runId = await startDraftRun(adminApi, demo, { topic: "kelp" });
    const reviewed = await createReviewWorkflow(adminApi, `A11y review ${Date.now()}`, { reviewerRole: "ADMIN" });
    const { reviewId } = await runToReview(adminApi, reviewed);
    await waitForRunStatus(adminApi, runId, "WAITING");
    await signInToHome(page, admin);
    const found: string[] = [];
    for (const path of [
      "/",
      "/workflows",
      `/workflows/${demo}`,
      `/runs/${runId}`,
      "/inbox",
      `/inbox/${reviewId}`,
      "/inbox/history",
      "/dashboard", // with the waiting run and review on it
    ])
      found.push(...(await audit(page, path)));
    // Leave no review waiting: other files of this worker open the first demo review they find.
    for (const id of [reviewId, (await runOf(adminApi, runId)).reviews[0].id])
      await adminApi.post(`/api/reviews/${id}/decision`, { data: { outcome: "approved" } });
    expect(found, found.join("\n")).toEqual([]);
  });

  for (const [group, paths] of [
    ["the usage and settings pages", ["/admin/usage", "/settings/account", "/settings/api-keys"]],
    [
      "the admin pages",
      ["/admin/destinations", "/admin/members", "/admin/models", "/admin/notifications", "/admin/audit"],
    ],
    ["the tools and variables pages", ["/admin/tools", "/admin/tools/audit", "/admin/variables"]],
  ] as const)
    test(`${group} have no serious or critical axe violation`, async ({ page, admin }) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await signInToHome(page, admin);
      const found: string[] = [];
      for (const path of paths) found.push(...(await audit(page, path)));
      expect(found, found.join("\n")).toEqual([]);
    });

  test("the pages before signing in have no serious or critical axe violation", async ({ page, adminApi }) => {
    const invite = await adminApi.post("/api/admin/invitations", {
      data: { name: "Ines", email: `ines-${Date.now()}@example.com`, role: "REVIEWER" },
    });
    const { token } = await invite.json();
    const found = [...(await audit(page, "/signin")), ...(await audit(page, `/invite/${token}`))];
    expect(found, found.join("\n")).toEqual([]);
  });
});
