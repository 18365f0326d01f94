import { expect, type Locator, type Page } from "@playwright/test";
import { RunPanel } from "./run-panel";
import { VersionsPanel } from "./versions-panel";

/**
 * The workflow editor (/workflows/:id), with the gestures a person makes: add and connect
 * steps, fill a step's form, read the problems, publish. Its test runs are `run`, its
 * versions `versions`.
 */
export class EditorPage {
  readonly run: RunPanel;
  readonly versions: VersionsPanel;

  constructor(readonly page: Page) {
    this.run = new RunPanel(page);
    this.versions = new VersionsPanel(page);
  }

  canvas = () => this.page.getByTestId("canvas");
  node = (id: string) => this.page.getByTestId(`node-${id}`);
  palette = (kind: string) => this.page.getByTestId(`palette-${kind}`);
  /** The palette of steps to add, as a person finds it. */
  paletteList = () => this.page.getByRole("complementary", { name: "Node palette" });
  /** A drawn connection, by its name: "Start to Agent", "Condition (yes) to Output". */
  connection = (name: string) =>
    this.page.getByRole("button", { name: `Connection from ${name}: insert a step or delete` });
  edges = () => this.page.locator(".react-flow__edge");
  saveStatus = () => this.page.getByTestId("save-status");
  workflowName = () => this.page.getByLabel("Workflow name");
  inspector = () => this.page.getByTestId("inspector");
  problemList = () => this.page.getByTestId("problem-list");
  noProblems = () => this.page.getByTestId("no-problems");
  /** The `{{…}}` suggestions offered while typing a reference. */
  referenceSuggestions = () => this.page.getByRole("listbox", { name: "References" });
  publishButton = () => this.page.getByRole("button", { name: "Publish", exact: true });
  conflictDialog = () => this.page.getByTestId("conflict-dialog");

  async open(workflowId: string) {
    await this.page.goto(`/workflows/${workflowId}`);
    await expect(this.page.getByTestId("workflow-editor")).toBeVisible();
  }

  /** Creates a workflow from the workflows page, which opens it in the editor. */
  async createWorkflow(name: string) {
    await this.page.goto("/workflows");
    await this.page.getByLabel("New workflow name").fill(name);
    await this.page.getByRole("button", { name: "New workflow" }).click();
    await expect(this.workflowName()).toHaveValue(name);
    await expect(this.node("start")).toBeVisible();
  }

  async backToWorkflows() {
    await this.page.getByRole("link", { name: "Back to workflows" }).click();
  }

  // Steps on the canvas.

  /** Adds a step of this kind by clicking it in the palette ("agent", "output", "note"…). */
  async addStep(kind: string) {
    await this.palette(kind).click();
  }

  /** A real HTML5 drag from the palette, dropped at (x, y) of the canvas. */
  async dragStep(kind: string, x: number, y: number) {
    const box = (await this.canvas().boundingBox())!;
    await this.page.evaluate(
      ({ kind, cx, cy }) => {
        const source = document.querySelector(`[data-testid=palette-${kind}]`)!;
        const target = document.querySelector("[data-testid=canvas]")!;
        const dt = new DataTransfer();
        source.dispatchEvent(new DragEvent("dragstart", { dataTransfer: dt, bubbles: true }));
        for (const type of ["dragenter", "dragover", "drop"])
          target.dispatchEvent(
            new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true, clientX: cx, clientY: cy }),
          );
        source.dispatchEvent(new DragEvent("dragend", { dataTransfer: dt, bubbles: true }));
      },
      { kind, cx: box.x + x, cy: box.y + y },
    );
  }

  /** Types into the command menu (opened with `/` or Ctrl+K) and picks the first match. */
  async command(text: string, shortcut: "/" | "Control+k" = "/") {
    await this.page.keyboard.press(shortcut);
    await this.page.getByRole("dialog", { name: "Command menu" }).getByLabel("Command").fill(text);
    await this.page.keyboard.press("Enter");
  }

  /** Drags from a step's output handle (or its named branch) to another step's input, as a person connects two steps. */
  async connect(from: string, to: string, branch?: string) {
    const a = (await this.sourceHandle(from, branch).boundingBox())!;
    const b = (await this.targetHandle(to).boundingBox())!;
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
    await this.page.mouse.up();
  }

  sourceHandle = (nodeId: string, handle?: string) =>
    handle
      ? this.node(nodeId).locator(`.react-flow__handle.source[data-handleid="${handle}"]`)
      : this.node(nodeId).locator(".react-flow__handle.source").first();
  targetHandle = (nodeId: string) => this.node(nodeId).locator(".react-flow__handle.target");

  /** Clicks a step and waits until the editor has it selected (its form is open). */
  async select(nodeId: string) {
    await this.node(nodeId).click();
    await expect(this.inspector()).toContainText(nodeId);
    await expect(this.page.locator(".react-flow__node.selected", { has: this.node(nodeId) })).toHaveCount(1);
  }

  /** Clicks the empty canvas: nothing is selected, and the canvas has the keyboard. */
  async clickEmptyCanvas() {
    await this.page.locator(".react-flow__pane").click();
  }

  /**
   * Deletes the selected step with Backspace, held until the step is gone; pressed again, as a
   * person would, when a press went unnoticed under load.
   */
  async deleteWithBackspace(nodeId: string) {
    const step = this.page.locator(".react-flow__node", { has: this.node(nodeId) });
    await expect(async () => {
      // Held as a person holds a key: React Flow acts on the key's "pressed" state, which a
      // zero-length press can skip under load. The focus on the step itself (React Flow's
      // focusable wrapper), not on the form beside it.
      if ((await step.count()) > 0) await step.focus();
      await this.page.keyboard.down("Backspace");
      try {
        await expect(this.node(nodeId)).toHaveCount(0, { timeout: 3_000 });
      } finally {
        await this.page.keyboard.up("Backspace");
      }
    }).toPass({ timeout: 15_000 });
  }

  undo = () => this.page.keyboard.press("Control+z");
  redo = () => this.page.keyboard.press("Control+Shift+z");
  copy = () => this.page.keyboard.press("Control+c");
  paste = () => this.page.keyboard.press("Control+v");
  duplicate = () => this.page.keyboard.press("Control+d");

  // The selected step's form.

  /** A field of the selected step's form, by its label. */
  field = (label: string) => this.inspector().getByLabel(label);

  async fill(label: string, value: string) {
    await this.field(label).fill(value);
  }

  /** Takes the highlighted one of the `{{…}}` suggestions offered while typing a reference. */
  async acceptReference() {
    await this.page.keyboard.press("Enter");
  }

  /** Adds an entry to a list in the selected step's form ("branch" for a condition's branches). */
  async addListEntry(itemLabel: string) {
    await this.inspector()
      .getByRole("button", { name: `+ Add ${itemLabel}` })
      .click();
  }

  /** One entry of a list in the form, by the list's field and its position (0 is the first). */
  listEntry = (field: string, position: number) => this.page.getByTestId(`${field}-${position}`);

  /** A field of the selected step's settings (retries, what to do when it fails…). */
  setting = (label: string) => this.page.getByTestId("step-settings").getByLabel(label);

  // Problems, saving, publishing.

  async openProblems() {
    await this.page.getByRole("tab", { name: /Problems/ }).click();
  }

  /** Clicks a problem in the list, which selects its step. */
  async goToProblem(text: string) {
    await this.problemList().getByText(text).click();
  }

  async saved() {
    await expect(this.saveStatus()).toHaveAttribute("data-status", "saved", { timeout: 15_000 });
  }

  /** Publishes the draft with a note and waits until the dialog has closed. */
  async publish(note: string) {
    await this.publishButton().click();
    await this.page.getByLabel("What changed?").fill(note);
    await this.page.getByTestId("publish-dialog").getByRole("button", { name: "Publish", exact: true }).click();
    await expect(this.page.getByTestId("publish-dialog")).toHaveCount(0);
  }

  async keepMineAsCopy() {
    await this.page.getByRole("button", { name: "Keep mine as a copy" }).click();
  }

  async reloadTheirVersion() {
    await this.page.getByRole("button", { name: "Reload the saved version" }).click();
  }

  /** Turns the canvas's overlay of each step's median time and cost on or off. */
  async toggleStats() {
    await this.page.getByRole("button", { name: "Stats" }).click();
  }

  statsOf = (nodeId: string) => this.node(nodeId).getByTestId("node-stats");
}

/** Runs a command of the editor's command menu: Ctrl+K, type, Enter. */
export async function command(page: Page, text: string) {
  await page.keyboard.press("Control+k");
  const menu = page.getByRole("dialog", { name: "Command menu" });
  await expect(menu).toBeVisible();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
  await expect(menu).toBeHidden();
}

/** Types into a field up to a reference's start (`{{name`) and picks the offered reference. */
export async function pickReference(page: Page, field: Locator, typed: string, option: RegExp) {
  await field.fill("");
  await field.pressSequentially(typed);
  await page.getByRole("listbox", { name: "References" }).getByRole("option", { name: option }).click();
}

/** Starts a test run from the command menu with this input and waits for it to complete. */
export async function runToCompletion(page: Page, input: Record<string, string>) {
  await command(page, "Run the workflow");
  const dialog = page.getByRole("dialog", { name: "Run this workflow" });
  for (const [name, value] of Object.entries(input)) await dialog.getByLabel(name).fill(value);
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("tabpanel").getByText("completed", { exact: true }).first()).toBeVisible({
    timeout: 20_000,
  });
}

/** Names a new workflow on the workflows page and presses Enter, which opens it in the editor. */
export async function newWorkflowByKeyboard(page: Page, name: string) {
  await page.goto("/workflows");
  await page.getByLabel("New workflow name").fill(name);
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Workflow name")).toHaveValue(name);
  await expect(page.getByRole("group", { name: "Start, Start step" })).toBeVisible();
}
