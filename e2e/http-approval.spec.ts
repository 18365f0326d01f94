import { expect, test } from "./support/fixtures";
import { audit } from "./support/axe";
import { addMember, signInToHome } from "./support/people";
import { ReviewPage } from "./support/review-page";
import { waitForReview } from "./support/reviews";
import { runOf, startDraftRun, waitForRunStatus } from "./support/runs-api";

/** Takes the host's rule away again: the worker's next test (HTTP Request) allows it its own way. */
async function forgetHost(api: import("@playwright/test").APIRequestContext, host: string) {
  const { destinations } = await (await api.get("/api/admin/destinations")).json();
  for (const d of destinations as { id: string; pattern: string }[])
    if (d.pattern === host) await api.delete(`/api/admin/destinations/${d.id}`);
}

test.afterEach(async ({ adminApi, studio }) => forgetHost(adminApi, new URL(studio.url).host));

test("a POST to a destination that requires approval waits for a reviewer, who edits the body but never sees the secret; it is sent as approved", async ({
  page,
  browser,
  studio,
  admin,
  adminApi,
}) => {
  test.slow(); // two people, a review and a run
  const suffix = Date.now().toString(36);
  const secret = `sk-approval-${suffix}-hidden`;
  const host = new URL(studio.url).host; // the studio itself, on loopback
  expect(
    (
      await adminApi.post("/api/admin/variables", { data: { name: `crm_${suffix}`, value: secret, secret: true } })
    ).status(),
  ).toBe(201);
  await forgetHost(adminApi, host); // another test of this worker may have allowed it, without approval

  await page.setViewportSize({ width: 1280, height: 900 });
  await signInToHome(page, admin);
  await page.goto("/admin/destinations");
  await page.getByRole("textbox", { name: "Host" }).fill(host);
  await page.getByLabel(/Also private and loopback addresses/).check();
  await page.getByLabel(/Requests that change things \(POST, PUT, PATCH, DELETE\) wait for a person/).check();
  await page.getByRole("button", { name: "Allow host" }).click();
  const row = page.getByRole("region", { name: "Allowed hosts" }).getByRole("listitem").filter({ hasText: host });
  await expect(row).toContainText("changes need approval");
  expect(await audit(page)).toEqual([]);

  //  start ──> call (POST, secret header) ──> out
  const node = (id: string, kind: string, config: Record<string, unknown>, x: number) => ({
    id,
    kind,
    label: id,
    position: { x, y: 0 },
    config,
  });
  const created = await adminApi.post("/api/workflows", {
    data: {
      name: `HTTP approval ${suffix}`,
      graph: {
        nodes: [
          node("start", "start", { fields: [{ name: "note", type: "string", required: true }] }, 0),
          node(
            "call",
            "http",
            {
              method: "POST",
              url: `http://${host}/api/health`,
              headers: [{ name: "Authorization", value: `Bearer {{secrets.crm_${suffix}}}` }],
              bodyType: "json",
              body: '{"note": "{{nodes.start.output.note}}"}',
              retries: 0,
              failOnErrorStatus: false,
            },
            260,
          ),
          node("out", "output", { value: "{{nodes.call.output.status}}" }, 520),
        ],
        edges: [
          { id: "e1", source: "start", target: "call" },
          { id: "e2", source: "call", target: "out" },
        ],
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const runId = await startDraftRun(adminApi, (await created.json()).id, { note: "first draft" });
  const reviewId = await waitForReview(adminApi, runId);

  // The reviewer sees the method, host and body, never the secret, and edits the body.
  const reviewer = await addMember(adminApi, "REVIEWER");
  const context = await browser.newContext({ baseURL: studio.url });
  const reviewerPage = await context.newPage();
  await signInToHome(reviewerPage, reviewer);
  const review = new ReviewPage(reviewerPage);
  await review.open(reviewId);
  await expect(review.instructions()).toContainText(`The workflow wants to send POST to ${host}`);
  await expect(review.instructions()).toContainText("The Authorization header carries a secret");
  await expect(review.contentView()).toContainText("first draft");
  expect(await reviewerPage.content()).not.toContain(secret);
  await reviewerPage.screenshot({ path: "test-results/http-approval-review.png", fullPage: true });
  expect(await audit(reviewerPage)).toEqual([]);
  await review.editJson();
  await review.showJsonText();
  await review.rewriteContent(
    JSON.stringify({ url: `http://${host}/api/health`, headers: {}, body: '{"note": "approved draft"}' }),
  );
  await review.approveWithEdits();
  await review.expectBackInInbox();
  await context.close();

  // Sent as approved: the edited body, the secret header as the step set it (shown by name).
  await waitForRunStatus(adminApi, runId, "COMPLETED");
  const run = await runOf(adminApi, runId);
  const step = run.steps.find((s: { nodeId: string }) => s.nodeId === "call");
  expect(step.input).toMatchObject({
    method: "POST",
    body: '{"note": "approved draft"}',
    headers: { Authorization: `Bearer [secret:crm_${suffix}]`, "content-type": "application/json" },
  });
  expect(step.output.approvedBy).toBe(reviewer.name);
  expect(JSON.stringify(run)).not.toContain(secret);
});
