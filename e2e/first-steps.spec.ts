import { expect, test as base } from "./support/fixtures";
import { signedInApi, signInToHome } from "./support/people";
import { demoWorkflowId, startDraftRun, waitForRunStatus } from "./support/runs-api";
import { momentIn } from "./support/moment-in";

/**
 * The first ten minutes of a new workspace, as its admin sees them: the home page's checklist
 * ticks itself, dialogs close by their Close button and by Esc and give focus back, one-time
 * links can be copied, a button that cannot be used says why, publishing and deciding a review
 * are confirmed. Only role, label and text locators: what a person sees (the API only sets the
 * scene). The tests share a workspace of their own, made for this file (other files run in the
 * worker's first workspace before this one), and run in this order: the checklist first, before
 * anything has run; the one that completes the checklist last.
 */
const test = base.extend<object, { freshWorkspace: string }>({
  freshWorkspace: [
    async ({ studio, admin }, provide) => {
      const api = await signedInApi(studio.url, admin);
      const created = await api.post("/api/workspaces", { data: { name: `First steps ${Date.now()}` } });
      expect(created.status(), await created.text()).toBe(201);
      const { id } = await created.json();
      await api.dispose();
      await provide(id);
    },
    { scope: "worker" },
  ],
  adminApi: async ({ adminApi, freshWorkspace }, provide) => {
    await adminApi.put("/api/workspaces/current", { data: { workspaceId: freshWorkspace } });
    await provide(adminApi);
  },
});

const screens = process.env.SCREENSHOTS_DIR ?? "test-results/screens";

test.beforeEach(async ({ page, admin, freshWorkspace }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  const switched = await page.request.put("/api/workspaces/current", { data: { workspaceId: freshWorkspace } });
  expect(switched.status()).toBe(200);
  await page.goto("/");
});

const checklistItem = (page: import("@playwright/test").Page, title: string) =>
  page.getByRole("region", { name: "Get started" }).getByRole("listitem").filter({ hasText: title });

test("the home checklist ticks “Run the demo workflow” once the demo has run", async ({ page, browser }) => {
  const item = checklistItem(page, "Run the demo workflow");
  await expect(item).toContainText("To do");
  await expect(checklistItem(page, "Decide a review in the inbox")).toContainText("To do");
  await page.screenshot({ path: `${screens}/home-get-started.png`, fullPage: true });

  await item.getByRole("button", { name: "Run the demo" }).click();
  const dialog = page.getByRole("dialog", { name: "Run the demo workflow" });
  await dialog.getByLabel("topic").fill("coral reefs");
  await page.screenshot({ path: `${screens}/dialog-run-demo.png` });
  await dialog.getByRole("button", { name: "Start run" }).click();

  // The run's own page, named by its workflow and when it started, written one way (to the second below).
  const heading = page.getByRole("heading", { level: 1 });
  await expect(heading).toContainText("Demo: research brief with approval · run of");
  await expect(heading.locator("time")).toHaveText(/\d\d:\d\d/);
  const minute = (await heading.locator("time").textContent())!;
  await expect(page.getByText(`started ${minute.match(/^.*\d\d:\d\d/)![0]}:`)).toBeVisible();
  await expect(page.getByRole("link", { name: "Open the review" })).toBeVisible({ timeout: 20_000 });
  // Loaded afresh by a reader 14 hours ahead of the server, it is written in the reader's zone.
  const far = await browser.newContext({
    storageState: await page.context().storageState(),
    timezoneId: "Pacific/Kiritimati",
  });
  const farPage = await far.newPage();
  await farPage.goto(page.url());
  const time = farPage.getByRole("heading", { level: 1 }).locator("time");
  const at = new Date((await time.getAttribute("datetime"))!);
  await expect(time).toHaveText(momentIn(at, "Pacific/Kiritimati"));
  await far.close();
  await page.screenshot({ path: `${screens}/run-page.png`, fullPage: true });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(item).toContainText("Done");
  await expect(item).not.toContainText("To do");
  await expect(page.getByRole("region", { name: "Get started" })).toContainText("1 of 3 done");
});

test("the template dialog closes by its Close button and by Esc, and gives focus back to the button that opened it", async ({
  page,
}) => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
  const opener = page.getByRole("button", { name: "From template" });
  const dialog = page.getByRole("dialog", { name: "New from template" });

  await opener.click();
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: `${screens}/dialog-templates.png` });
  await dialog.getByRole("button", { name: "Close", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();

  await opener.press("Enter");
  await expect(dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(opener).toBeFocused();
});

test("the invitation link is shown whole with a Copy button that puts it on the clipboard; inviting a reviewer ticks the checklist", async ({
  page,
}) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Rita Reviewer");
  const email = `rita.${Date.now()}@example.com`;
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("REVIEWER");
  await page.getByRole("button", { name: "Create invitation link" }).click();

  const link = page.getByRole("textbox", { name: `Invitation link for ${email}` });
  await expect(link).toHaveValue(/\/invite\/[\w-]{20,}$/);
  await page.getByRole("button", { name: "Copy", exact: true }).click();
  await expect(page.getByRole("button", { name: "Copied", exact: true })).toBeVisible();
  await expect(page.getByText(`Invitation link for ${email} copied`)).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await link.inputValue());

  // A second invitation does not take the first link away (each is shown only on this page).
  const first = await link.inputValue();
  await page.getByLabel("Name", { exact: true }).fill("Rob Reviewer");
  await page.getByLabel("Email", { exact: true }).fill(`rob.${Date.now()}@example.com`);
  await page.getByRole("button", { name: "Create invitation link" }).click();
  await expect(page.getByText("2 invitations created.")).toBeVisible();
  await expect(page.getByRole("textbox", { name: /^Invitation link for / })).toHaveCount(2);
  await expect(link).toHaveValue(first);
  await page.screenshot({ path: `${screens}/invitation-copied.png` });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(checklistItem(page, "Invite a reviewer")).toContainText("Done");
});

test("Publish, while it cannot be used, says why on keyboard focus and on hover", async ({ page }) => {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
  await page.getByLabel("New workflow name").fill("Half-built workflow");
  await page.getByRole("button", { name: "New workflow", exact: true }).click();
  await expect(page.getByLabel("Workflow name")).toHaveValue("Half-built workflow");

  const publish = page.getByRole("button", { name: "Publish", exact: true });
  await expect(publish).toBeDisabled();
  await publish.focus();
  await expect(page.getByRole("tooltip")).toHaveText(/^Fix \d+ problems? first/);
  await expect(publish).toHaveAccessibleDescription(/^Fix \d+ problems? first/);
  await page.screenshot({ path: `${screens}/publish-reason.png` });

  await page.getByLabel("Workflow name").focus();
  await expect(page.getByRole("tooltip")).toBeHidden();
  await publish.hover();
  await expect(page.getByRole("tooltip")).toHaveText(/^Fix \d+ problems? first/);
  // The tooltip lies over the Problems tab it names: the pointer goes on to the tab and opens it.
  const problems = page.getByRole("tab", { name: /Problems/ });
  await problems.click({ timeout: 5_000 });
  await expect(problems).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("tooltip")).toBeHidden();
});

test("publishing is confirmed by a toast that leads to the versions", async ({ page, adminApi }) => {
  const created = await (await adminApi.post("/api/workflows/templates/classify-route")).json();
  await page.goto(`/workflows/${created.id}`);
  await expect(page.getByText("All changes saved")).toBeVisible();

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Publish version 1" });
  await dialog.getByLabel("What changed?").fill("First release");
  await dialog.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByText("Published version 1")).toBeVisible();
  await page.screenshot({ path: `${screens}/published-toast.png` });
  await page.getByRole("button", { name: "Show versions" }).click();
  await expect(page.getByRole("tab", { name: "Versions" })).toHaveAttribute("aria-selected", "true");
  await expect(page.getByText("First release")).toBeVisible();
});

test("Hide puts the checklist away for this workspace, and it stays away", async ({ page }) => {
  const checklist = page.getByRole("region", { name: "Get started" });
  await checklist.getByRole("button", { name: "Hide" }).click();
  await expect(checklist).toBeHidden();
  await page.reload();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await expect(checklist).toBeHidden();
  await expect(page.getByRole("link", { name: /Workflows Build agent workflows/ })).toBeVisible();
});

test("deciding a review is confirmed by a toast naming the step and workflow that opens the run; with all three steps done the checklist goes", async ({
  page,
  adminApi,
}) => {
  const runId = await startDraftRun(adminApi, await demoWorkflowId(adminApi), { topic: "kelp forests" });
  await waitForRunStatus(adminApi, runId, "WAITING");
  const invited = await adminApi.post("/api/admin/invitations", {
    data: { name: "Rex Reviewer", email: `rex.${Date.now()}@example.com`, role: "REVIEWER" },
  });
  expect(invited.status()).toBe(201);

  await page.reload();
  await expect(checklistItem(page, "Decide a review in the inbox")).toContainText("To do");
  await checklistItem(page, "Decide a review in the inbox").getByRole("link", { name: "Open the inbox" }).click();
  await page
    .getByRole("link", { name: /Approve brief · Demo: research brief with approval/ })
    .first()
    .click();
  await page.getByRole("button", { name: "Approve", exact: true }).click();

  await expect(page.getByRole("heading", { name: "Inbox", level: 1 })).toBeVisible();
  await expect(page.getByText("Approved “Approve brief” in Demo: research brief with approval")).toBeVisible();
  await page.getByRole("button", { name: "Open the run" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Demo: research brief with approval · run of");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "Get started" })).toBeHidden();
});
