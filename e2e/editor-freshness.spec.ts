import { expect, test } from "./support/fixtures";
import { EditorPage } from "./support/editor-page";
import { signInToHome } from "./support/people";

test.beforeEach(async ({ page, admin }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
});

test("going Back to the editor shows the latest edits, and the next edit saves without a false conflict", async ({
  page,
  adminApi,
}) => {
  const created = await (await adminApi.post("/api/workflows", { data: { name: `Fresh ${Date.now()}` } })).json();
  const editor = new EditorPage(page);
  await editor.open(created.id);

  await editor.addStep("agent");
  await expect(editor.node("agent_1")).toBeVisible();
  await editor.workflowName().fill("Renamed on the canvas");
  await editor.workflowName().press("Tab");
  await editor.saved();
  await expect
    .poll(async () => (await (await adminApi.get(`/api/workflows/${created.id}`)).json()).name)
    .toBe("Renamed on the canvas");

  // Away by a link inside the app, then Back.
  await page.getByRole("link", { name: "Back to workflows" }).click();
  await expect(page.getByLabel("Search workflows")).toBeVisible();
  await page.goBack();
  await expect(editor.node("agent_1")).toBeVisible();
  await expect(editor.workflowName()).toHaveValue("Renamed on the canvas");
  await expect(editor.saveStatus()).toHaveText("All changes saved");

  await editor.addStep("output");
  await editor.saved();
  await expect(editor.conflictDialog()).toHaveCount(0);

  // Away to another page by its address, then Back.
  await page.goto("/inbox");
  await page.goBack();
  await expect(editor.node("output_1")).toBeVisible();
  await editor.addStep("note");
  await editor.saved();
  await expect(editor.conflictDialog()).toHaveCount(0);
  const saved = await (await adminApi.get(`/api/workflows/${created.id}`)).json();
  expect(saved.graph.nodes.map((n: { id: string }) => n.id)).toEqual(["start", "agent_1", "output_1", "note_1"]);
});

test("a change saved from another tab of the same person is named as such, and this page's edit can be kept", async ({
  page,
  browser,
  adminApi,
}) => {
  const created = await (await adminApi.post("/api/workflows", { data: { name: `Two tabs ${Date.now()}` } })).json();
  const otherTab = await browser.newContext({
    storageState: await adminApi.storageState(),
    viewport: { width: 1440, height: 900 },
  });
  const mine = new EditorPage(page);
  const theirs = new EditorPage(await otherTab.newPage());
  await mine.open(created.id);
  await theirs.open(created.id);

  await theirs.addStep("agent");
  await theirs.saved();
  await mine.addStep("output");
  const dialog = page.getByRole("dialog", { name: "This workflow changed since this page loaded it" });
  await expect(dialog).toContainText("You saved this workflow in another tab or window since this page loaded it");
  await page.screenshot({ path: "test-results/screens/conflict-own-tab.png" });

  await dialog.getByRole("button", { name: "Keep this page's version" }).click();
  await expect(dialog).toHaveCount(0);
  await mine.saved();
  const saved = await (await adminApi.get(`/api/workflows/${created.id}`)).json();
  expect(saved.graph.nodes.map((n: { id: string }) => n.id)).toEqual(["start", "output_1"]);
  await otherTab.close();
});

test("an edit made just before leaving by the header's menu is saved, not lost", async ({ page, adminApi }) => {
  const created = await (await adminApi.post("/api/workflows", { data: { name: `Leaving ${Date.now()}` } })).json();
  const editor = new EditorPage(page);
  await page.clock.install();
  await editor.open(created.id);
  await editor.saved();

  // Away before the autosave's pause after the last change has passed: the page's clock is
  // stopped, so only the save made on leaving can keep the edit.
  await page.clock.pauseAt(Date.now() + 1_000);
  await editor.addStep("agent");
  await expect(editor.saveStatus()).not.toHaveAttribute("data-status", "saved");
  await page.getByRole("link", { name: "Dashboard", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();
  await page.clock.resume();

  await expect
    .poll(async () =>
      (await (await adminApi.get(`/api/workflows/${created.id}`)).json()).graph.nodes.map((n: { id: string }) => n.id),
    )
    .toEqual(["start", "agent_1"]);
  await editor.open(created.id);
  await expect(editor.node("agent_1")).toBeVisible();
  await expect(editor.saveStatus()).toHaveText("All changes saved");
});
