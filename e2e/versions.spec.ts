import { expect, test } from "./support/fixtures";
import { EditorPage } from "./support/editor-page";
import { signInToHome } from "./support/people";

test.beforeEach(async ({ page, admin }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
});

test("publishing is refused while problems remain; a published version can be opened read-only, compared with the draft and restored", async ({
  page,
  adminApi,
}) => {
  const created = await (await adminApi.post("/api/workflows/templates/classify-route")).json();
  const editor = new EditorPage(page);
  await editor.open(created.id);

  // Break it: publishing is blocked in the UI and refused by the API.
  await editor.select("billing");
  await editor.fill("Instructions", "");
  await expect(editor.publishButton()).toBeDisabled();
  await editor.saved();
  const { revision } = await (await adminApi.get(`/api/workflows/${created.id}`)).json();
  const refused = await adminApi.post(`/api/workflows/${created.id}/versions`, { data: { note: "sneak", revision } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.message).toMatch(
    /^Fix 1 problem before publishing\. First: Billing agent: Write the agent's instructions/,
  );

  await editor.fill("Instructions", "Help with billing: {{nodes.start.output.request}}");
  await editor.saved();
  await editor.publish("First release");
  // Nothing changed since: nothing to publish, and the Versions tab says which version is live.
  await expect(editor.publishButton()).toHaveAccessibleDescription(
    "Nothing to publish: the draft is the same as v1, the live version",
  );
  await editor.versions.show();
  await expect(editor.versions.version(1)).toContainText("v1Live");
  await editor.versions.compareWithDraft(1);
  await expect(editor.versions.diffSummary()).toContainText("No difference: the draft runs as v1 does");
  await editor.versions.stopComparing();

  // Change the draft after publishing: rename a step and add one.
  await editor.select("general");
  await editor.fill("Name", "Generalist");
  await editor.addStep("note");
  await editor.saved();

  await editor.versions.show();
  await expect(editor.versions.version(1)).toContainText("First release");
  await editor.versions.compareWithDraft(1);
  await expect(editor.versions.diffSummary()).toContainText("1 added · 0 removed · 1 changed");
  await expect(editor.versions.diffSummary().getByText("Added: Sticky note", { exact: true })).toBeVisible();
  await expect(editor.versions.diffSummary()).toContainText("Changed: Generalist (Agent): Name");
  await expect(editor.publishButton()).toBeEnabled();
  await expect(editor.node("general")).toHaveAttribute("data-diff", "changed");
  await expect(editor.node("note_1")).toHaveAttribute("data-diff", "added");
  await page.screenshot({ path: "test-results/screens/versions-compare.png" });
  await editor.versions.stopComparing();

  await editor.versions.open(1);
  await expect(editor.versions.viewingBanner()).toContainText("Viewing version 1 (read-only)");
  await expect(editor.node("note_1")).toHaveCount(0);
  await expect(editor.node("general")).toContainText("General agent");
  await expect(editor.palette("agent")).toHaveCount(0);
  await editor.versions.backToDraft();
  await expect(editor.node("note_1")).toBeVisible();

  await editor.versions.restore(1);
  await expect(editor.node("note_1")).toHaveCount(0);
  await expect(editor.node("general")).toContainText("General agent");
  await editor.saved();
  await page.reload();
  await expect(editor.node("general")).toContainText("General agent");

  await page.goto("/workflows");
  await expect(
    page.getByTestId("workflow-row").filter({ hasText: "Classify and route" }).first().getByTestId("workflow-status"),
  ).toHaveText("published v1");
});

test("two editors on one workflow: the second save is a conflict, and the person chooses; nothing is overwritten", async ({
  page,
  browser,
  adminApi,
}) => {
  const created = await (await adminApi.post("/api/workflows", { data: { name: `Shared ${Date.now()}` } })).json();
  const other = await browser.newContext({
    storageState: await adminApi.storageState(),
    viewport: { width: 1440, height: 900 },
  });
  const mine = new EditorPage(page);
  const theirs = new EditorPage(await other.newPage());
  await mine.open(created.id);
  await theirs.open(created.id);

  await theirs.addStep("agent");
  await theirs.saved();

  await mine.addStep("output");
  await expect(mine.conflictDialog()).toBeVisible();
  // Both pages are the same person's: the conflict says so, not "someone else".
  await expect(mine.conflictDialog()).toContainText("You saved this workflow in another tab or window");
  await page.screenshot({ path: "test-results/screens/conflict.png" });

  // Keep mine as a copy: a new workflow with my graph; theirs is untouched.
  await mine.keepMineAsCopy();
  await expect(mine.workflowName()).toHaveValue(/\(my copy\)$/);
  await expect(mine.node("output_1")).toBeVisible();
  await expect(mine.node("agent_1")).toHaveCount(0);
  const original = await (await adminApi.get(`/api/workflows/${created.id}`)).json();
  expect(original.graph.nodes.map((n: { id: string }) => n.id)).toEqual(["start", "agent_1"]);

  // The other way out: reload their version.
  await theirs.open(created.id);
  await mine.open(created.id);
  await theirs.addStep("note");
  await theirs.saved();
  await mine.addStep("tool");
  await mine.reloadTheirVersion();
  await expect(mine.conflictDialog()).toHaveCount(0);
  await expect(mine.node("note_1")).toBeVisible();
  await expect(mine.node("tool_1")).toHaveCount(0);
  await mine.addStep("condition");
  await mine.saved();
  await other.close();
});
