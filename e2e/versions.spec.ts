import { expect, test } from "./support/fixtures";
import { EditorPage } from "./support/editor";
import { signInThroughPage } from "./support/people";

test.beforeEach(async ({ page, admin }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInThroughPage(page, admin);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
});

test("publishing is refused while problems remain; a published version can be opened read-only, compared with the draft and restored", async ({ page, adminApi }) => {
  const created = await (await adminApi.post("/api/workflows/templates/classify-route")).json();
  const editor = new EditorPage(page);
  await editor.open(created.id);

  // Break it: publishing is blocked in the UI and refused by the API.
  await editor.select("billing");
  await page.getByTestId("inspector").getByLabel("Instructions").fill("");
  await expect(page.getByRole("button", { name: "Publish", exact: true })).toBeDisabled();
  await editor.saved();
  const { revision } = await (await adminApi.get(`/api/workflows/${created.id}`)).json();
  const refused = await adminApi.post(`/api/workflows/${created.id}/versions`, { data: { note: "sneak", revision } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.message).toMatch(/^Fix 1 problem before publishing\. First: Billing agent: Write the agent's instructions/);

  await page.getByTestId("inspector").getByLabel("Instructions").fill("Help with billing: {{nodes.start.output.request}}");
  await editor.saved();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByLabel("What changed?").fill("First release");
  await page.getByTestId("publish-dialog").getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByTestId("publish-dialog")).toHaveCount(0);

  // Change the draft after publishing: rename a step and add one.
  await editor.select("general");
  await page.getByTestId("inspector").getByLabel("Name").fill("Generalist");
  await page.getByTestId("palette-note").click();
  await editor.saved();

  await page.getByRole("tab", { name: "Versions" }).click();
  await expect(page.getByTestId("version-1")).toContainText("First release");
  await page.getByTestId("version-1").getByRole("button", { name: "Compare with draft" }).click();
  await expect(page.getByTestId("diff-summary")).toContainText("1 added · 0 removed · 1 changed");
  await expect(page.getByTestId("diff-summary")).toContainText("general: label");
  await expect(editor.node("general")).toHaveAttribute("data-diff", "changed");
  await expect(editor.node("note_1")).toHaveAttribute("data-diff", "added");
  await page.screenshot({ path: "test-results/screens/versions-compare.png" });
  await page.getByTestId("diff-summary").getByRole("button", { name: "Stop comparing" }).click();

  await page.getByTestId("version-1").getByRole("button", { name: "Open" }).click();
  await expect(page.getByTestId("viewing-banner")).toContainText("Viewing version 1 (read-only)");
  await expect(editor.node("note_1")).toHaveCount(0);
  await expect(page.getByTestId("node-general")).toContainText("General agent");
  await expect(page.getByTestId("palette-agent")).toHaveCount(0);
  await page.getByTestId("viewing-banner").getByRole("button", { name: "Back to draft" }).click();
  await expect(editor.node("note_1")).toBeVisible();

  await page.getByTestId("version-1").getByRole("button", { name: "Restore into draft" }).click();
  await expect(editor.node("note_1")).toHaveCount(0);
  await expect(editor.node("general")).toContainText("General agent");
  await editor.saved();
  await page.reload();
  await expect(editor.node("general")).toContainText("General agent");

  await page.goto("/workflows");
  await expect(page.getByTestId("workflow-row").filter({ hasText: "Classify and route" }).first().getByTestId("workflow-status")).toHaveText("published v1");
});

test("two editors on one workflow: the second save is a conflict, and the person chooses; nothing is overwritten", async ({ page, browser, adminApi }) => {
  const created = await (await adminApi.post("/api/workflows", { data: { name: `Shared ${Date.now()}` } })).json();
  const other = await browser.newContext({ storageState: await adminApi.storageState(), viewport: { width: 1440, height: 900 } });
  const otherPage = await other.newPage();
  const mine = new EditorPage(page);
  const theirs = new EditorPage(otherPage);
  await mine.open(created.id);
  await theirs.open(created.id);

  await otherPage.getByTestId("palette-agent").click();
  await theirs.saved();

  await page.getByTestId("palette-output").click();
  await expect(page.getByTestId("conflict-dialog")).toBeVisible();
  await expect(page.getByTestId("conflict-dialog")).toContainText("saved this workflow since you opened it");
  await page.screenshot({ path: "test-results/screens/conflict.png" });

  // Keep mine as a copy: a new workflow with my graph; theirs is untouched.
  await page.getByRole("button", { name: "Keep mine as a copy" }).click();
  await expect(page.getByLabel("Workflow name")).toHaveValue(/\(my copy\)$/);
  await expect(mine.node("output_1")).toBeVisible();
  await expect(mine.node("agent_1")).toHaveCount(0);
  const original = await (await adminApi.get(`/api/workflows/${created.id}`)).json();
  expect(original.graph.nodes.map((n: { id: string }) => n.id)).toEqual(["start", "agent_1"]);

  // The other way out: reload their version.
  await theirs.open(created.id);
  await mine.open(created.id);
  await otherPage.getByTestId("palette-note").click();
  await theirs.saved();
  await page.getByTestId("palette-tool").click();
  await page.getByRole("button", { name: "Reload their version" }).click();
  await expect(page.getByTestId("conflict-dialog")).toHaveCount(0);
  await expect(mine.node("note_1")).toBeVisible();
  await expect(mine.node("tool_1")).toHaveCount(0);
  await page.getByTestId("palette-condition").click();
  await mine.saved();
  await other.close();
});
