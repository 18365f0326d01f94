import { expect, test } from "./support/fixtures";
import { InboxPage } from "./support/inbox-page";
import { addMember, signedInApi, signInThroughPage, signInToHome } from "./support/people";
import { ReviewPage } from "./support/review-page";
import { createReviewWorkflow, runToReview } from "./support/reviews";
import { runOf, startDraftRun, waitForRunStatus } from "./support/runs-api";

test("one reviewer comments, claims and hands a review to another, who is notified, reads the comment and approves with the keyboard", async ({
  browser,
  adminApi,
  studio,
}) => {
  const wf = await createReviewWorkflow(adminApi, "Hand-over flow", {});
  const { runId, reviewId } = await runToReview(adminApi, wf, "tide pools");
  const alice = await addMember(adminApi, "REVIEWER", "alice");
  const bob = await addMember(adminApi, "REVIEWER", "bob");
  const alicePage = await (await browser.newContext({ baseURL: studio.url })).newPage();
  const bobPage = await (await browser.newContext({ baseURL: studio.url })).newPage();
  await signInThroughPage(alicePage, alice);
  await signInToHome(bobPage, bob);

  const aliceReview = new ReviewPage(alicePage);
  await aliceReview.open(reviewId);
  await expect(aliceReview.assignee()).toHaveText("Open to reviewers.");
  await aliceReview.comment("The tide table is from last year; Bob knows the new one.");
  await expect(aliceReview.comments()).toContainText("The tide table is from last year");
  await aliceReview.claim();
  await expect(aliceReview.assignee()).toHaveText("You have it.");

  // Claimed: Bob no longer may decide it, and is told who has it.
  const bobApi = await signedInApi(studio.url, bob);
  const refused = await bobApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved" } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toContain(`${alice.name} has it`);
  expect((await (await bobApi.get("/api/reviews")).json()).items.some((r: { id: string }) => r.id === reviewId)).toBe(
    false,
  );

  // Alice hands it to Bob: now it is Bob's (Alice is told so, and sees it no more, as she may
  // not decide it); Bob's bell lights up without a reload.
  await aliceReview.handTo(`${bob.name} (reviewer)`);
  await expect(alicePage.getByTestId("access-denied")).toContainText(`${bob.name} has it`);
  await expect(aliceReview.review()).toHaveCount(0);
  await expect(bobPage.getByTestId("unread-count")).toHaveText("1", { timeout: 15_000 });
  await bobPage.getByRole("button", { name: /Notifications/ }).click();
  const note = bobPage.getByTestId("notifications").getByRole("link").first();
  await expect(note).toContainText(`${alice.name} assigned you a review: Check it · Hand-over flow`);
  await bobPage.screenshot({ path: "test-results/screens/notifications.png" });
  await note.click();
  const bobReview = new ReviewPage(bobPage);
  await bobReview.expectOpen(reviewId);
  await expect(bobPage.getByTestId("unread-count")).toHaveCount(0);
  await expect(bobReview.assignee()).toHaveText("You have it.");
  await expect(bobReview.comments()).toContainText(`${alice.name}`);
  await expect(bobReview.comments()).toContainText("Bob knows the new one");
  await bobPage.screenshot({ path: "test-results/screens/review-assigned.png", fullPage: true });

  // A approves (focus is not in a text field).
  await bobReview.pressKey("a");
  await bobReview.expectBackInInbox();
  await expect
    .poll(async () => (await runOf(adminApi, runId)).output, { timeout: 20_000 })
    .toBe("approved: Notes on tide pools");
  await bobApi.dispose();
});

test("deadlines: an unclaimed review escalates to admins when its time is up; another is rejected automatically and its run takes the rejected branch", async ({
  page,
  adminApi,
  studio,
}) => {
  const builder = await addMember(adminApi, "BUILDER");
  const builderApi = await signedInApi(studio.url, builder);
  const escalating = await createReviewWorkflow(adminApi, "Escalating review", {
    deadline: "4s",
    onExpiry: "escalate",
    escalateToRole: "ADMIN",
  });
  const rejecting = await createReviewWorkflow(adminApi, "Self-rejecting review", {
    deadline: "2s",
    onExpiry: "reject",
  });
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInToHome(page, reviewer);

  const first = await runToReview(builderApi, escalating, "storm surge");
  const inbox = new InboxPage(page);
  await inbox.open({ workflow: escalating });
  const item = inbox.itemsFor("Escalating review");
  await expect(item).toContainText(/Due in \d+ seconds?|Due now|Overdue/);
  // When the deadline passes, it leaves the reviewer's inbox (live) and lands with the admins.
  await expect(item).toHaveCount(0, { timeout: 20_000 });
  const escalated = (await (await adminApi.get(`/api/reviews/${first.reviewId}`)).json()) as {
    escalated: boolean;
    audience: string;
    status: string;
  };
  expect(escalated).toMatchObject({ escalated: true, audience: "admins", status: "PENDING" });
  const adminNotes = await (await adminApi.get("/api/notifications")).json();
  expect(adminNotes.items.some((n: { title: string }) => n.title.startsWith("Review escalated to you"))).toBe(true);
  expect(
    (await adminApi.post(`/api/reviews/${first.reviewId}/decision`, { data: { outcome: "approved" } })).status(),
  ).toBe(200);
  await waitForRunStatus(adminApi, first.runId, "COMPLETED");

  const second = await runToReview(builderApi, rejecting, "rip currents");
  await expect
    .poll(async () => (await runOf(adminApi, second.runId)).output, { timeout: 20_000 })
    .toMatch(/^rejected: Nobody decided within the deadline \(2 s\), so it was rejected automatically\.$/);
  await inbox.openHistory();
  const decided = inbox.decided("Self-rejecting review").first();
  await expect(decided).toContainText("rejected");
  await expect(decided).toContainText("Flowdeck (deadline)");
  // The builder whose run it was is told.
  const builderNotes = await (await builderApi.get("/api/notifications")).json();
  expect(
    builderNotes.items.some(
      (n: { title: string }) => n.title === "Your run's review was rejected: Check it · Self-rejecting review",
    ),
  ).toBe(true);
  await builderApi.dispose();
});

test("an invalid JSON edit is refused with the field named, and the review stays pending until a valid one", async ({
  page,
  adminApi,
  studio,
}) => {
  const wf = await createReviewWorkflow(adminApi, "JSON review", {
    format: "json",
    content: '{"amount": 120, "currency": "EUR", "lines": [{"sku": "A-1", "qty": 2}]}',
  });
  const { runId, reviewId } = await runToReview(adminApi, wf);
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInToHome(page, reviewer);
  const review = new ReviewPage(page);
  await review.open(reviewId);
  // Shown as a tree.
  await expect(review.contentView()).toHaveAttribute("data-shape", "json");
  await expect(review.contentView()).toContainText("currency");
  await expect(review.contentView()).toContainText('"EUR"');
  await page.screenshot({ path: "test-results/screens/review-json.png", fullPage: true });

  await review.editJson();
  // A form generated from the content: a number field, a text field, nested values as JSON.
  await expect(review.jsonForm()).toBeVisible();
  await expect(review.jsonField("currency")).toHaveValue("EUR");
  await review.jsonField("amount").fill("95");
  await page.screenshot({ path: "test-results/screens/review-json-form.png", fullPage: true });
  await review.showJsonText();
  await expect(review.contentEditor()).toHaveValue(/"amount": 95/);
  await expect(review.contentEditor()).toHaveValue(/"sku": "A-1"/);
  await review.rewriteContent('{"amount": 95, "currency": "EUR"');
  await expect(review.contentError()).toContainText("Not valid JSON");
  await review.approveWithEdits();
  await expect(page.getByText(/Fix the edited content first/)).toBeVisible();
  await review.expectOpen(reviewId);

  // The API refuses it too, naming the field; nothing is recorded.
  const reviewerApi = await signedInApi(studio.url, reviewer);
  const bad = await reviewerApi.post(`/api/reviews/${reviewId}/decision`, {
    data: { outcome: "approved", content: '{"amount": 95' },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.fields[0].path).toBe("body.content");
  expect((await runOf(adminApi, runId)).status).toBe("WAITING");
  await reviewerApi.dispose();

  await review.rewriteContent('{"amount": 95, "currency": "EUR"}');
  await expect(review.contentError()).toHaveCount(0);
  await review.approveWithEdits();
  await review.expectBackInInbox();
  await expect
    .poll(async () => (await runOf(adminApi, runId)).output, { timeout: 20_000 })
    .toBe('approved: {"amount": 95, "currency": "EUR"}');
});

test("bulk: twenty similar reviews, filtered to their workflow, approved together; each run completes", async ({
  page,
  adminApi,
}) => {
  const wf = await createReviewWorkflow(adminApi, "Bulk twenty", {});
  const runIds: string[] = [];
  for (let i = 0; i < 20; i++) runIds.push(await startDraftRun(adminApi, wf, { topic: `item ${i}` }));
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInToHome(page, reviewer);
  const inbox = new InboxPage(page);
  await inbox.openFromNavigation();
  await inbox.filterByWorkflow("Bulk twenty");
  await expect(page).toHaveURL(new RegExp(`workflow=${wf}`));
  await expect(inbox.items()).toHaveCount(20, { timeout: 20_000 });
  await inbox.selectAll();
  await expect(inbox.bulkBar()).toContainText("20 selected");
  await inbox.approveSelected(20);
  await expect(inbox.bulkResult()).toHaveText("20 reviews approved.", { timeout: 30_000 });
  for (const id of runIds) await waitForRunStatus(adminApi, id, "COMPLETED");
});

test("inbox keys: J moves to the next item, X selects it, Enter opens it; N on a review goes to the next one", async ({
  page,
  adminApi,
}) => {
  const wf = await createReviewWorkflow(adminApi, "Keyboard review", {});
  await runToReview(adminApi, wf, "one");
  await runToReview(adminApi, wf, "two");
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInToHome(page, reviewer);
  const inbox = new InboxPage(page);
  await inbox.open({ workflow: wf });
  await expect(inbox.items()).toHaveCount(2);
  await inbox.pressKey("j");
  await expect(inbox.items().first()).toBeFocused();
  await inbox.pressKey("x");
  await expect(inbox.bulkBar()).toContainText("1 selected");
  await inbox.pressKey("Enter");
  await expect(page).toHaveURL(/\/inbox\/[^/?]+$/);
  const firstUrl = page.url();
  const review = new ReviewPage(page);
  await expect(review.contentView()).toContainText("Notes on one");
  await review.pressKey("n");
  await expect(page).not.toHaveURL(firstUrl);
  await expect(review.review()).toBeVisible();
});

test("two reviewers claiming the same review at once: one gets it, the other is told it changed hands", async ({
  adminApi,
  studio,
}) => {
  const wf = await createReviewWorkflow(adminApi, "Claim race", {});
  const { reviewId } = await runToReview(adminApi, wf);
  const [a, b] = await Promise.all([addMember(adminApi, "REVIEWER"), addMember(adminApi, "REVIEWER")]);
  const [apiA, apiB] = await Promise.all([signedInApi(studio.url, a), signedInApi(studio.url, b)]);
  const results = await Promise.all([
    apiA.post(`/api/reviews/${reviewId}/assignment`, { data: { action: "claim" } }),
    apiB.post(`/api/reviews/${reviewId}/assignment`, { data: { action: "claim" } }),
  ]);
  expect(results.map((r) => r.status()).sort()).toEqual([200, 409]);
  const loser = results.find((r) => r.status() === 409)!;
  expect((await loser.json()).error.message).toMatch(/changed hands|Someone else has this review/);
  // Bad input is named: an unknown action, a person who is not a member.
  const bad = await apiA.post(`/api/reviews/${reviewId}/assignment`, { data: { action: "steal" } });
  expect(bad.status()).toBe(400);
  const stranger = await adminApi.post(`/api/reviews/${reviewId}/assignment`, {
    data: { action: "assign", userId: "no-such-user" },
  });
  expect(stranger.status()).toBe(400);
  expect((await stranger.json()).error.message).toContain("body.userId");
  await Promise.all([apiA.dispose(), apiB.dispose()]);
});
