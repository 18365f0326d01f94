import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { SMTPServer } from "smtp-server";
import { InboxPage } from "./support/inbox-page";
import { newPerson, setUpFirstAdmin, signedInApi, signInToHome } from "./support/people";
import { ReviewPage } from "./support/review-page";
import { createReviewWorkflow, runToReview } from "./support/reviews";
import { startStudio, type Studio } from "./support/studio";

/**
 * Review notifications leave the studio: a webhook receiver and an SMTP server, both real and
 * on loopback, and a studio of its own started with SMTP_URL.
 */
interface Hook {
  event: string;
  signature: string;
  raw: string;
  body: { event: string; review?: { id: string; url: string; workflow: string; step: string } };
}

let smtp: SMTPServer;
let smtpPort: number;
const mails: { to: string; raw: string }[] = [];
let hooks: Server;
let hookUrl: string;
const received: Hook[] = [];
let failNextCreated = 0;
let studio: Studio;

test.beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      let raw = "";
      stream.on("data", (d: Buffer) => (raw += d.toString()));
      stream.on("end", () => {
        for (const to of session.envelope.rcptTo) mails.push({ to: to.address, raw });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  hooks = createServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw) as Hook["body"];
      if (body.event === "review.created" && failNextCreated > 0) {
        failNextCreated--;
        received.push({ event: "refused", signature: "", raw, body });
        res.writeHead(503).end("down for maintenance");
        return;
      }
      received.push({
        event: String(req.headers["x-flowdeck-event"]),
        signature: String(req.headers["x-flowdeck-signature"] ?? ""),
        raw,
        body,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/flowdeck-hook`;
  studio = await startStudio({
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMTP_FROM: "Flowdeck <reviews@flowdeck.test>",
  });
});

test.afterAll(async () => {
  await studio?.stop();
  await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  await new Promise((r) => hooks?.close(r));
});

test("an admin sends review events to a signed webhook and by email; a webhook that is down gets them later", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await (await browser.newContext({ baseURL: studio.url })).newPage();
  const admin = newPerson("Admin");
  await setUpFirstAdmin(studio.url, admin);
  const api = await signedInApi(studio.url, admin);
  const reviewer = newPerson("Reviewer");
  expect((await api.post("/api/admin/members", { data: { ...reviewer, role: "REVIEWER" } })).status()).toBe(201);

  await signInToHome(page, admin);
  await new InboxPage(page).openNotificationSettings();
  await expect(page.getByTestId("webhook-status")).toHaveText("No webhook: review events stay in the app.");

  // A wrong URL is refused, saying what to write.
  await page.getByLabel("Webhook URL").fill("hooks.example.com/flowdeck");
  await page.getByRole("button", { name: "Save webhook" }).click();
  await expect(page.getByTestId("settings-message")).toContainText("Write an http:// or https:// URL");

  await page.getByLabel("Webhook URL").fill(hookUrl);
  await page.getByLabel(/Signing secret/).fill("s3cret-for-hmac");
  await page.getByRole("button", { name: "Save webhook" }).click();
  await expect(page.getByTestId("settings-message")).toHaveText("Webhook saved.");
  await expect(page.getByTestId("webhook-status")).toContainText(`http://127.0.0.1:${new URL(hookUrl).port}/…hook`);
  await expect(page.getByTestId("webhook-status")).toContainText("signed");
  // Neither the URL nor the secret comes back to the browser.
  const settings = await (await api.get("/api/admin/notifications")).text();
  expect(settings).not.toContain("flowdeck-hook");
  expect(settings).not.toContain("s3cret");

  // The receiver is on this machine (loopback): nothing goes there until an admin allows it.
  await page.getByRole("button", { name: "Send a test" }).click();
  await expect(page.getByTestId("settings-message")).toContainText(
    "Could not reach the webhook: 127.0.0.1 is a private, loopback or link-local address",
  );
  await expect(page.getByTestId("settings-message")).toContainText("HTTP destinations");
  expect(received.filter((h) => h.event === "test")).toHaveLength(0);
  const allowed = await api.post("/api/admin/destinations", { data: { pattern: "127.0.0.1", allowPrivate: true } });
  expect(allowed.status()).toBe(201);
  await page.getByRole("button", { name: "Send a test" }).click();
  // Said beside the button that asked, in the webhook's own section.
  await expect(page.getByRole("region", { name: "Webhook" }).getByTestId("settings-message")).toHaveText(
    "The webhook answered 204.",
  );
  expect(received.at(-1)?.event).toBe("test");

  await page.getByLabel(/Email the people concerned/).check();
  await expect(page.getByRole("region", { name: "Email" }).getByTestId("settings-message")).toHaveText(
    "Email turned on.",
  );
  await page.screenshot({ path: "test-results/screens/notification-settings.png", fullPage: true });

  // A review for the reviewer by name: the webhook (down at first) and an email.
  failNextCreated = 1;
  const wf = await createReviewWorkflow(api, "Notified review", { reviewerEmail: reviewer.email });
  const { reviewId } = await runToReview(api, wf, "harbour seals");
  await expect.poll(() => received.filter((h) => h.event === "refused").length, { timeout: 15_000 }).toBe(1);
  await expect.poll(() => received.filter((h) => h.event === "review.created").length, { timeout: 60_000 }).toBe(1); // retried
  const hook = received.find((h) => h.event === "review.created")!;
  const signedAt = /^t=(\d+),v1=/.exec(hook.signature)?.[1];
  expect(Math.abs(Number(signedAt) - Date.now() / 1000)).toBeLessThan(120);
  expect(hook.signature).toBe(
    `t=${signedAt},v1=${createHmac("sha256", "s3cret-for-hmac").update(`${signedAt}.${hook.raw}`).digest("hex")}`,
  );
  expect(hook.body.review).toMatchObject({
    id: reviewId,
    url: `${studio.url}/inbox/${reviewId}`,
    workflow: "Notified review",
    step: "Check it",
  });

  await expect
    .poll(() => mails.filter((m) => m.to === reviewer.email).length, { timeout: 20_000 })
    .toBeGreaterThanOrEqual(1);
  const mail = mails.find((m) => m.to === reviewer.email)!;
  expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?Q\?Review_waiting=3A_Check_it/m); // "Review waiting: Check it · Notified review", encoded
  expect(mail.raw).toContain("Review waiting: Check it");
  expect(mail.raw).toContain("Check this."); // the instructions, as plain text
  expect(mail.raw).toContain(`${studio.url}/inbox/${reviewId}`);
  expect(mail.raw).toContain("From: Flowdeck <reviews@flowdeck.test>");

  // The reviewer follows the link and decides; the webhook hears that too.
  const reviewerPage = await (await browser.newContext({ baseURL: studio.url })).newPage();
  await signInToHome(reviewerPage, reviewer);
  await expect(reviewerPage.getByTestId("unread-count")).toHaveText("1");
  const review = new ReviewPage(reviewerPage);
  await review.open(reviewId);
  await review.approve();
  await review.expectBackInInbox();
  await expect.poll(() => received.filter((h) => h.event === "review.decided").length, { timeout: 20_000 }).toBe(1);
  expect(received.find((h) => h.event === "review.decided")!.raw).toContain('"outcome":"approved"');

  // Removing the webhook stops them: asked first, and kept when the admin says so.
  await page.getByRole("button", { name: "Remove" }).click();
  const asked = page.getByRole("dialog", { name: "Remove the review webhook?" });
  await asked.getByRole("button", { name: "Keep it" }).click();
  await expect(asked).toBeHidden();
  await expect(page.getByTestId("webhook-status")).toContainText("signed");
  await page.getByRole("button", { name: "Remove" }).click();
  await asked.getByRole("button", { name: "Remove webhook" }).click();
  await expect(page.getByTestId("webhook-status")).toHaveText("No webhook: review events stay in the app.");
  await api.dispose();
});
