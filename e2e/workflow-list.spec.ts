import { writeFileSync } from "node:fs";
import { expect, test } from "./support/fixtures";
import { EditorPage } from "./support/editor-page";
import { signInToHome } from "./support/people";

test.beforeEach(async ({ page, admin }) => {
  await signInToHome(page, admin);
});

test("search, sort, duplicate, delete to the bin and restore from it", async ({ page, adminApi }) => {
  const tag = Date.now().toString(36);
  for (const name of [`Zeta ${tag}`, `Alpha ${tag}`])
    expect((await adminApi.post("/api/workflows", { data: { name } })).status()).toBe(201);
  await page.goto("/workflows");
  await page.getByLabel("Search workflows").fill(tag);
  const rows = page.getByTestId("workflow-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute("data-name", `Alpha ${tag}`); // newest edit first
  await page.getByLabel("Sort by").selectOption("name");
  await expect(rows.first()).toHaveAttribute("data-name", `Alpha ${tag}`);
  await expect(rows.last()).toHaveAttribute("data-name", `Zeta ${tag}`);

  await page.getByRole("button", { name: `Duplicate Zeta ${tag}` }).click();
  await expect(page.getByTestId("workflow-row").filter({ hasText: `Copy of Zeta ${tag}` })).toBeVisible();

  await page.getByRole("button", { name: `Delete Alpha ${tag}` }).click();
  await expect(rows.filter({ hasText: `Alpha ${tag}` })).toHaveCount(0);
  await page.getByRole("button", { name: "Deleted workflows" }).click();
  await expect(page.getByRole("heading", { name: "Deleted workflows" })).toBeVisible();
  await page
    .getByTestId("workflow-row")
    .filter({ hasText: `Alpha ${tag}` })
    .getByRole("button", { name: "Restore" })
    .click();
  await expect(page.getByTestId("workflow-row").filter({ hasText: `Alpha ${tag}` })).toHaveCount(0);
  await page.getByRole("button", { name: "← Back to workflows" }).click();
  await expect(page.getByTestId("workflow-row").filter({ hasText: `Alpha ${tag}` })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/workflow-list.png" });
});

test("New workflow with no name makes an untitled one, opened in the editor to be named", async ({ page }) => {
  await page.goto("/workflows");
  await expect(page.getByLabel("New workflow name")).toHaveValue("");
  await page.getByRole("button", { name: "New workflow", exact: true }).click();
  const editor = new EditorPage(page);
  await expect(editor.workflowName()).toHaveValue("Untitled workflow");
  await expect(editor.node("start")).toBeVisible();
});

test("new from template: the orchestrator template creates its specialist sub-workflows, published", async ({
  page,
}) => {
  await page.goto("/workflows");
  await page.getByRole("button", { name: "From template" }).click();
  await page.getByTestId("template-dialog").getByText("Research → analysis → report").click();
  const editor = new EditorPage(page);
  await expect(editor.workflowName()).toHaveValue("Research → analysis → report");
  await expect(editor.node("research")).toContainText("Sub-workflow");
  await editor.node("research").click();
  await expect(editor.field("Workflow").locator("option:checked")).toHaveText("Research specialist (v1)");
  await editor.openProblems();
  await expect(editor.noProblems()).toBeVisible();
  await page.goto("/workflows");
  await expect(
    page.getByTestId("workflow-row").filter({ hasText: "Research specialist" }).first().getByTestId("workflow-status"),
  ).toHaveText("published v1");
});

test("export a workflow and import it back; a bad file says what is wrong and changes nothing", async ({
  page,
  adminApi,
}, info) => {
  const created = await (await adminApi.post("/api/workflows/templates/draft-approve-send")).json();
  const editor = new EditorPage(page);
  await editor.open(created.id);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export" }).click();
  const file = info.outputPath("exported.json");
  await (await download).saveAs(file);

  await page.goto("/workflows");
  await expect(page.getByTestId("workflow-row").first()).toBeVisible();
  const count = await page.getByTestId("workflow-row").count();
  const bad = info.outputPath("bad.json");
  writeFileSync(
    bad,
    JSON.stringify({
      flowdeck: 1,
      name: "Bad",
      graph: { nodes: [{ id: "x", kind: "teleport", label: "", position: { x: 0, y: 0 } }], edges: [] },
    }),
  );
  await page.getByTestId("import-file").setInputFiles(bad);
  await expect(page.getByTestId("import-error")).toContainText("bad.json: Unknown node kind: teleport.");
  const notJson = info.outputPath("notes.json");
  writeFileSync(notJson, "this is not json");
  await page.getByTestId("import-file").setInputFiles(notJson);
  await expect(page.getByTestId("import-error")).toContainText("notes.json: This file is not JSON.");
  await expect(page.getByTestId("workflow-row")).toHaveCount(count);

  await page.getByTestId("import-file").setInputFiles(file);
  await expect(editor.workflowName()).toHaveValue("Agent drafts, human approves, tool sends");
  await expect(editor.node("approve")).toBeVisible();
  await expect(editor.node("send")).toBeVisible();
});
