import { expect, test } from "./support/fixtures";
import { addMember, signedInApi, signInThroughPage } from "./support/people";
import { createReviewWorkflow, runOf, runToReview } from "./support/reviews";

test("one reviewer comments, claims and hands a review to another, who is notified, reads the comment and approves with the keyboard", async ({ browser, adminApi, studio }) => {
  const wf = await createReviewWorkflow(adminApi, "Hand-over flow", {});
  const { runId, reviewId } = await runToReview(adminApi, wf, "tide pools");
  const alice = await addMember(adminApi, "REVIEWER", "alice");
  const bob = await addMember(adminApi, "REVIEWER", "bob");
  const alicePage = await (await browser.newContext({ baseURL: studio.url })).newPage();
  const bobPage = await (await browser.newContext({ baseURL: studio.url })).newPage();
  await signInThroughPage(alicePage, alice);
  await signInThroughPage(bobPage, bob);
  await expect(bobPage.getByRole("heading", { name: /Welcome/ })).toBeVisible();

  await alicePage.goto(`/inbox/${reviewId}`);
  await expect(alicePage.getByTestId("assignee")).toHaveText("Open to reviewers.");
  await alicePage.getByPlaceholder("Write a comment").fill("The tide table is from last year; Bob knows the new one.");
  await alicePage.getByRole("button", { name: "Comment" }).click();
  await expect(alicePage.getByTestId("comments")).toContainText("The tide table is from last year");
  await alicePage.getByRole("button", { name: "Claim" }).click();
  await expect(alicePage.getByTestId("assignee")).toHaveText("You have it.");

  // Claimed: Bob no longer may decide it, and is told who has it.
  const bobApi = await signedInApi(studio.url, bob);
  const refused = await bobApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved" } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toContain(`${alice.name} has it`);
  expect((await (await bobApi.get("/api/reviews")).json()).items.some((r: { id: string }) => r.id === reviewId)).toBe(false);

  // Alice hands it to Bob; Bob's bell lights up without a reload.
  await alicePage.getByLabel("Hand to").selectOption({ label: `${bob.name} (reviewer)` });
  await alicePage.getByRole("button", { name: "Hand over" }).click();
  await expect(alicePage.getByTestId("assignee")).toHaveText(`${bob.name} has it.`);
  await expect(bobPage.getByTestId("unread-count")).toHaveText("1", { timeout: 15_000 });
  await bobPage.getByRole("button", { name: /Notifications/ }).click();
  const note = bobPage.getByTestId("notifications").getByRole("link").first();
  await expect(note).toContainText(`${alice.name} assigned you a review: Check it · Hand-over flow`);
  await bobPage.screenshot({ path: "test-results/screens/notifications.png" });
  await note.click();
  await expect(bobPage).toHaveURL(new RegExp(`/inbox/${reviewId}$`));
  await expect(bobPage.getByTestId("unread-count")).toHaveCount(0);
  await expect(bobPage.getByTestId("assignee")).toHaveText("You have it.");
  await expect(bobPage.getByTestId("comments")).toContainText(`${alice.name}`);
  await expect(bobPage.getByTestId("comments")).toContainText("Bob knows the new one");
  await bobPage.screenshot({ path: "test-results/screens/review-assigned.png", fullPage: true });

  // A approves (focus is not in a text field).
  await bobPage.locator("h1").click();
  await bobPage.keyboard.press("a");
  await expect(bobPage).toHaveURL(/\/inbox$/);
  await expect.poll(async () => (await runOf(adminApi, runId)).output, { timeout: 20_000 }).toBe("approved: Notes on tide pools");
  await bobApi.dispose();
});

test("deadlines: an unclaimed review escalates to admins when its time is up; another is rejected automatically and its run takes the rejected branch", async ({ page, adminApi, studio }) => {
  const builder = await addMember(adminApi, "BUILDER");
  const builderApi = await signedInApi(studio.url, builder);
  const escalating = await createReviewWorkflow(adminApi, "Escalating review", { deadline: "4s", onExpiry: "escalate", escalateToRole: "ADMIN" });
  const rejecting = await createReviewWorkflow(adminApi, "Self-rejecting review", { deadline: "2s", onExpiry: "reject" });
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInThroughPage(page, reviewer);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();

  const first = await runToReview(builderApi, escalating, "storm surge");
  await page.goto(`/inbox?workflow=${escalating}`);
  const item = page.getByTestId("inbox-item").filter({ hasText: "Escalating review" });
  await expect(item).toContainText(/Due in \d+ seconds|Due now|Overdue/);
  // When the deadline passes, it leaves the reviewer's inbox (live) and lands with the admins.
  await expect(item).toHaveCount(0, { timeout: 20_000 });
  const escalated = (await (await adminApi.get(`/api/reviews/${first.reviewId}`)).json()) as { escalated: boolean; audience: string; status: string };
  expect(escalated).toMatchObject({ escalated: true, audience: "admins", status: "PENDING" });
  const adminNotes = await (await adminApi.get("/api/notifications")).json();
  expect(adminNotes.items.some((n: { title: string }) => n.title.startsWith("Review escalated to you"))).toBe(true);
  expect((await adminApi.post(`/api/reviews/${first.reviewId}/decision`, { data: { outcome: "approved" } })).status()).toBe(200);
  await expect.poll(async () => (await runOf(adminApi, first.runId)).status, { timeout: 20_000 }).toBe("COMPLETED");

  const second = await runToReview(builderApi, rejecting, "rip currents");
  await expect.poll(async () => (await runOf(adminApi, second.runId)).output, { timeout: 20_000 }).toMatch(/^rejected: Nobody decided within the deadline \(2 s\), so it was rejected automatically\.$/);
  await page.goto("/inbox/history");
  const decided = page.getByTestId("history-item").filter({ hasText: "Self-rejecting review" }).first();
  await expect(decided).toContainText("rejected");
  await expect(decided).toContainText("Flowdeck (deadline)");
  // The builder whose run it was is told.
  const builderNotes = await (await builderApi.get("/api/notifications")).json();
  expect(builderNotes.items.some((n: { title: string }) => n.title === "Your run's review was rejected: Check it · Self-rejecting review")).toBe(true);
  await builderApi.dispose();
});

test("an invalid JSON edit is refused with the field named, and the review stays pending until a valid one", async ({ page, adminApi, studio }) => {
  const wf = await createReviewWorkflow(adminApi, "JSON review", { format: "json", content: '{"amount": 120, "currency": "EUR", "lines": [{"sku": "A-1", "qty": 2}]}' });
  const { runId, reviewId } = await runToReview(adminApi, wf);
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInThroughPage(page, reviewer);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await page.goto(`/inbox/${reviewId}`);
  // Shown as a tree.
  const view = page.getByTestId("review-content-view");
  await expect(view).toHaveAttribute("data-shape", "json");
  await expect(view).toContainText("currency");
  await expect(view).toContainText('"EUR"');
  await page.screenshot({ path: "test-results/screens/review-json.png", fullPage: true });

  await page.getByRole("button", { name: "Edit the JSON" }).click();
  // A form generated from the content: a number field, a text field, nested values as JSON.
  await expect(page.getByTestId("json-form")).toBeVisible();
  await expect(page.getByLabel("currency")).toHaveValue("EUR");
  await page.getByLabel("amount").fill("95");
  await page.screenshot({ path: "test-results/screens/review-json-form.png", fullPage: true });
  await page.getByRole("tab", { name: "JSON" }).click();
  await expect(page.getByLabel("Content under review")).toHaveValue(/"amount": 95/);
  await expect(page.getByLabel("Content under review")).toHaveValue(/"sku": "A-1"/);
  await page.getByLabel("Content under review").fill('{"amount": 95, "currency": "EUR"');
  await expect(page.getByTestId("content-error")).toContainText("Not valid JSON");
  await page.getByRole("button", { name: "Approve with my edits" }).click();
  await expect(page.getByText(/Fix the edited content first/)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/inbox/${reviewId}$`));

  // The API refuses it too, naming the field; nothing is recorded.
  const reviewerApi = await signedInApi(studio.url, reviewer);
  const bad = await reviewerApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved", content: '{"amount": 95' } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.fields[0].path).toBe("body.content");
  expect((await runOf(adminApi, runId)).status).toBe("WAITING");
  await reviewerApi.dispose();

  await page.getByLabel("Content under review").fill('{"amount": 95, "currency": "EUR"}');
  await expect(page.getByTestId("content-error")).toHaveCount(0);
  await page.getByRole("button", { name: "Approve with my edits" }).click();
  await expect(page).toHaveURL(/\/inbox$/);
  await expect.poll(async () => (await runOf(adminApi, runId)).output, { timeout: 20_000 }).toBe('approved: {"amount": 95, "currency": "EUR"}');
});

test("bulk: twenty similar reviews, filtered to their workflow, approved together; each run completes", async ({ page, adminApi }) => {
  const wf = await createReviewWorkflow(adminApi, "Bulk twenty", {});
  const runIds: string[] = [];
  for (let i = 0; i < 20; i++) {
    const { id } = await (await adminApi.post(`/api/workflows/${wf}/runs`, { data: { input: { topic: `item ${i}` }, mode: "draft" } })).json();
    runIds.push(id);
  }
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInThroughPage(page, reviewer);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /Inbox/ }).click();
  await page.getByLabel("Workflow").selectOption({ label: "Bulk twenty" });
  await expect(page).toHaveURL(new RegExp(`workflow=${wf}`));
  await expect(page.getByTestId("inbox-item")).toHaveCount(20, { timeout: 20_000 });
  await page.getByLabel("Select all").check();
  await expect(page.getByTestId("bulk-bar")).toContainText("20 selected");
  await page.getByRole("button", { name: "Approve 20" }).click();
  await expect(page.getByTestId("bulk-result")).toHaveText("20 reviews approved.", { timeout: 30_000 });
  for (const id of runIds) await expect.poll(async () => (await runOf(adminApi, id)).status, { timeout: 20_000 }).toBe("COMPLETED");
});

test("inbox keys: J moves to the next item, X selects it, Enter opens it; N on a review goes to the next one", async ({ page, adminApi }) => {
  const wf = await createReviewWorkflow(adminApi, "Keyboard review", {});
  await runToReview(adminApi, wf, "one");
  await runToReview(adminApi, wf, "two");
  const reviewer = await addMember(adminApi, "REVIEWER");
  await signInThroughPage(page, reviewer);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await page.goto(`/inbox?workflow=${wf}`);
  await expect(page.getByTestId("inbox-item")).toHaveCount(2);
  await page.keyboard.press("j");
  await expect(page.getByTestId("inbox-item").first()).toBeFocused();
  await page.keyboard.press("x");
  await expect(page.getByTestId("bulk-bar")).toContainText("1 selected");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/inbox\/[^/?]+$/);
  const firstUrl = page.url();
  await expect(page.getByTestId("review-content-view")).toContainText("Notes on one");
  await page.locator("h1").click();
  await page.keyboard.press("n");
  await expect(page).not.toHaveURL(firstUrl);
  await expect(page.getByTestId("review")).toBeVisible();
});

test("two reviewers claiming the same review at once: one gets it, the other is told it changed hands", async ({ adminApi, studio }) => {
  const wf = await createReviewWorkflow(adminApi, "Claim race", {});
  const { reviewId } = await runToReview(adminApi, wf);
  const [a, b] = await Promise.all([addMember(adminApi, "REVIEWER"), addMember(adminApi, "REVIEWER")]);
  const [apiA, apiB] = await Promise.all([signedInApi(studio.url, a), signedInApi(studio.url, b)]);
  const results = await Promise.all([apiA.post(`/api/reviews/${reviewId}/assignment`, { data: { action: "claim" } }), apiB.post(`/api/reviews/${reviewId}/assignment`, { data: { action: "claim" } })]);
  expect(results.map((r) => r.status()).sort()).toEqual([200, 409]);
  const loser = results.find((r) => r.status() === 409)!;
  expect((await loser.json()).error.message).toMatch(/changed hands|Someone else has this review/);
  // Bad input is named: an unknown action, a person who is not a member.
  const bad = await apiA.post(`/api/reviews/${reviewId}/assignment`, { data: { action: "steal" } });
  expect(bad.status()).toBe(400);
  const stranger = await adminApi.post(`/api/reviews/${reviewId}/assignment`, { data: { action: "assign", userId: "no-such-user" } });
  expect(stranger.status()).toBe(400);
  expect((await stranger.json()).error.message).toContain("body.userId");
  await Promise.all([apiA.dispose(), apiB.dispose()]);
});
