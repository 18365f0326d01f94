import { expect, test } from "./support/fixtures";
import { EditorPage } from "./support/editor";
import { signInThroughPage } from "./support/people";

test.beforeEach(async ({ page, admin }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInThroughPage(page, admin);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
});

async function newWorkflow(page: import("@playwright/test").Page, name: string) {
  await page.goto("/workflows");
  await page.getByLabel("New workflow name").fill(name);
  await page.getByRole("button", { name: "New workflow" }).click();
  await expect(page.getByLabel("Workflow name")).toHaveValue(name);
  const editor = new EditorPage(page);
  await expect(editor.node("start")).toBeVisible();
  return editor;
}

test("a builder drags steps onto the canvas, connects them, fills the forms, sees the problems clear, and finds it all after a reload", async ({ page }) => {
  const editor = await newWorkflow(page, `Summarise ${Date.now()}`);

  await editor.dragFromPalette("agent", 500, 200);
  await expect(editor.node("agent_1")).toBeVisible();
  await page.getByTestId("palette-output").click();
  await expect(editor.node("output_1")).toBeVisible();
  await page.getByRole("tab", { name: /Problems/ }).click();
  await expect(page.getByTestId("problem-list")).toContainText("Agent: Write the agent's instructions");
  await expect(page.getByTestId("problem-list")).toContainText("Agent has no incoming connection.");

  await editor.connect(editor.sourceHandle("start"), editor.targetHandle("agent_1"));
  await editor.connect(editor.sourceHandle("agent_1"), editor.targetHandle("output_1"));
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);

  // Clicking a problem selects its step; the form is generated from the step's schema.
  await page.getByTestId("problem-list").getByText("Agent: Write the agent's instructions").click();
  await expect(page.getByTestId("inspector")).toContainText("agent_1");
  const instructions = page.getByTestId("inspector").getByLabel("Instructions");
  await instructions.fill("Summarise {{");
  await expect(page.getByRole("listbox", { name: "References" })).toContainText("nodes.start.output.input");
  await page.keyboard.press("Enter");
  await expect(instructions).toHaveValue("Summarise {{nodes.start.output.input}}");

  await editor.select("output_1");
  await page.getByTestId("inspector").getByLabel("Result").fill("{{nodes.agent_1.output.text}}");
  await page.getByRole("tab", { name: /Problems/ }).click();
  await expect(page.getByTestId("no-problems")).toBeVisible();
  await editor.saved();
  await page.screenshot({ path: "test-results/screens/editor-built.png" });

  await page.reload();
  await expect(editor.node("agent_1")).toBeVisible();
  await expect(editor.node("output_1")).toBeVisible();
  await expect(page.locator(".react-flow__edge")).toHaveCount(2);
  await editor.select("agent_1");
  await expect(page.getByTestId("inspector").getByLabel("Instructions")).toHaveValue("Summarise {{nodes.start.output.input}}");
});

test("references to steps that do not run earlier are flagged, on the step and in the list", async ({ page }) => {
  const editor = await newWorkflow(page, `Refs ${Date.now()}`);
  await page.getByTestId("palette-output").click();
  await editor.connect(editor.sourceHandle("start"), editor.targetHandle("output_1"));
  await editor.select("output_1");
  await page.getByTestId("inspector").getByLabel("Result").fill("{{nodes.ghost.output.text}}");
  await expect(page.getByTestId("inspector")).toContainText("refers to a node that does not exist");
  await expect(editor.node("output_1")).toHaveAttribute("data-problems", "1");
});

test("undo and redo every change; copy, paste and duplicate steps, also into another workflow", async ({ page }) => {
  const editor = await newWorkflow(page, `Undo ${Date.now()}`);
  await page.getByTestId("palette-agent").click();
  await expect(editor.node("agent_1")).toBeVisible();
  await page.locator(".react-flow__pane").click();

  await page.keyboard.press("Control+z");
  await expect(editor.node("agent_1")).toHaveCount(0);
  await page.keyboard.press("Control+Shift+z");
  await expect(editor.node("agent_1")).toBeVisible();

  await editor.select("agent_1");
  await page.getByTestId("inspector").getByLabel("Instructions").fill("Copy me");
  await page.locator(".react-flow__pane").click();
  await editor.select("agent_1");
  await page.keyboard.press("Control+c");
  await page.keyboard.press("Control+v");
  await expect(editor.node("agent_2")).toBeVisible();
  await page.keyboard.press("Control+d");
  await expect(editor.node("agent_3")).toBeVisible();

  // Deleting with Backspace, then undoing it.
  await editor.select("agent_3");
  // Held as a person holds a key: React Flow acts on the key's "pressed" state, which a
  // zero-length press can skip under load.
  await editor.node("agent_3").focus();
  await page.keyboard.down("Backspace");
  await expect(editor.node("agent_3")).toHaveCount(0);
  await page.keyboard.up("Backspace");
  await page.keyboard.press("Control+z");
  await expect(editor.node("agent_3")).toBeVisible();
  await editor.saved();

  // The clipboard reaches another workflow.
  const other = await newWorkflow(page, `Paste target ${Date.now()}`);
  await page.locator(".react-flow__pane").click();
  await page.keyboard.press("Control+v");
  await expect(other.node("agent_1")).toBeVisible();
  await other.select("agent_1");
  await expect(page.getByTestId("inspector").getByLabel("Instructions")).toHaveValue("Copy me");
});

test("the command menu adds steps from the keyboard; a condition has one labelled handle per branch plus else", async ({ page }) => {
  const editor = await newWorkflow(page, `Menu ${Date.now()}`);
  await page.locator(".react-flow__pane").click();
  await page.keyboard.press("/");
  await page.getByRole("dialog", { name: "Command menu" }).getByLabel("Command").fill("condition");
  await page.keyboard.press("Enter");
  await expect(editor.node("condition_1")).toBeVisible();
  await expect(editor.sourceHandle("condition_1", "yes")).toBeVisible();
  await expect(editor.sourceHandle("condition_1", "else")).toBeVisible();

  await page.getByTestId("inspector").getByRole("button", { name: "+ Add branch" }).click();
  await page.getByTestId("branches-1").getByLabel("Branch name").fill("billing");
  await page.getByTestId("branches-1").getByLabel("When (JSONata)").fill("nodes.start.output.input = ");
  await expect(editor.sourceHandle("condition_1", "billing")).toBeVisible();
  await page.getByTestId("step-settings").getByLabel("When it still fails").selectOption("branch");
  await expect(editor.sourceHandle("condition_1", "error")).toBeVisible();
  await page.getByTestId("step-settings").getByLabel("Retries").fill("9");
  await expect(page.getByTestId("step-settings").getByLabel("Retries")).toHaveValue("5");
  await expect(page.getByTestId("inspector")).toContainText("Unexpected end of expression");
  await page.getByRole("tab", { name: /Problems/ }).click();
  await expect(page.getByTestId("problem-list")).toContainText("Condition, branch “billing”: Unexpected end of expression");
  await page.keyboard.press("Control+k");
  await page.getByRole("dialog", { name: "Command menu" }).getByLabel("Command").fill("auto");
  await page.keyboard.press("Enter");
  await editor.saved();
  await page.screenshot({ path: "test-results/screens/editor-condition.png" });
});
