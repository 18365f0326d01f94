import { expect, type Locator, type Page } from "@playwright/test";

/** A page object for the workflow editor, with the gestures a person makes. */
export class EditorPage {
  constructor(readonly page: Page) {}

  canvas = () => this.page.getByTestId("canvas");
  node = (id: string) => this.page.getByTestId(`node-${id}`);
  saveStatus = () => this.page.getByTestId("save-status");

  async open(workflowId: string) {
    await this.page.goto(`/workflows/${workflowId}`);
    await expect(this.page.getByTestId("workflow-editor")).toBeVisible();
  }

  /** A real HTML5 drag from the palette, dropped at (x, y) of the canvas. */
  async dragFromPalette(kind: string, x: number, y: number) {
    const box = (await this.canvas().boundingBox())!;
    await this.page.evaluate(
      ({ kind, cx, cy }) => {
        const source = document.querySelector(`[data-testid=palette-${kind}]`)!;
        const target = document.querySelector("[data-testid=canvas]")!;
        const dt = new DataTransfer();
        source.dispatchEvent(new DragEvent("dragstart", { dataTransfer: dt, bubbles: true }));
        for (const type of ["dragenter", "dragover", "drop"]) target.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true, clientX: cx, clientY: cy }));
        source.dispatchEvent(new DragEvent("dragend", { dataTransfer: dt, bubbles: true }));
      },
      { kind, cx: box.x + x, cy: box.y + y },
    );
  }

  /** Drags from one handle to another with the mouse, as a person connects two steps. */
  async connect(from: Locator, to: Locator) {
    const a = (await from.boundingBox())!;
    const b = (await to.boundingBox())!;
    await this.page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
    await this.page.mouse.up();
  }

  sourceHandle = (nodeId: string, handle?: string) =>
    handle ? this.node(nodeId).locator(`.react-flow__handle.source[data-handleid="${handle}"]`) : this.node(nodeId).locator(".react-flow__handle.source").first();
  targetHandle = (nodeId: string) => this.node(nodeId).locator(".react-flow__handle.target");

  /** Clicks a step and waits until the editor has it selected (its form is open). */
  async select(nodeId: string) {
    await this.node(nodeId).click();
    await expect(this.page.getByTestId("inspector")).toContainText(nodeId);
    await expect(this.page.locator(".react-flow__node.selected", { has: this.node(nodeId) })).toHaveCount(1);
  }

  async saved() {
    await expect(this.saveStatus()).toHaveAttribute("data-status", "saved", { timeout: 15_000 });
  }

  nodeIds = async () => this.page.locator("[data-testid^=node-]").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")!.slice(5)));
}
