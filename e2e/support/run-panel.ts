import { expect, type Page } from "@playwright/test";

/**
 * The editor's test runs: the Run dialog, the run panel beside the canvas (status, each
 * step, the result, recent runs) and the steps lighting up on the canvas.
 */
export class RunPanel {
  constructor(readonly page: Page) {}

  dialog = () => this.page.getByTestId("run-dialog");
  panel = () => this.page.getByTestId("run-panel");
  status = () => this.page.getByTestId("run-status");
  output = () => this.page.getByTestId("run-output");
  history = () => this.page.getByTestId("run-history");
  /** A step's entry in the run panel: its status, streamed text, output or error. */
  step = (nodeId: string) => this.page.getByTestId(`run-step-${nodeId}`);

  async openDialog() {
    await this.page.getByRole("button", { name: "▶ Run" }).click();
  }

  /** Fills the dialog's input fields (one per field of the Start step), by name. */
  async fillInput(input: Record<string, string>) {
    for (const [name, value] of Object.entries(input)) await this.dialog().getByLabel(name).fill(value);
  }

  async submit() {
    await this.dialog().getByRole("button", { name: "Start run" }).click();
  }

  /** Starts a test run of the draft with this input, through the Run dialog. */
  async start(input: Record<string, string> = {}) {
    await this.openDialog();
    await this.fillInput(input);
    await this.submit();
  }

  async expectStatus(status: string, options: { timeout?: number } = {}) {
    await expect(this.status()).toHaveText(status, options);
  }

  /** A step's run status as the canvas shows it ("running", "done", "waiting", "skipped"…). */
  async expectStepOnCanvas(nodeId: string, status: string | RegExp) {
    await expect(this.page.getByTestId(`node-${nodeId}`)).toHaveAttribute("data-run-status", status);
  }

  /** Approves a step waiting for review, from its entry in the run panel. */
  async approve(nodeId: string) {
    await this.step(nodeId).getByRole("button", { name: "Approve" }).click();
  }

  async runAgain() {
    await this.page.getByRole("button", { name: "Run again" }).click();
  }

  /** Shows the Run tab of the side panel, then retries the failed run from its failed step. */
  async retryFromFailedStep() {
    await this.page.getByRole("tab", { name: "Run" }).click();
    await this.page.getByRole("button", { name: "Retry from failed step" }).click();
  }

  async openRunPage() {
    await this.page.getByRole("link", { name: "Open run page" }).click();
  }
}
