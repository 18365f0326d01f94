import { expect, type Page } from "@playwright/test";

/** A run's page (/runs/:id): its status, input, a timeline of its steps, each step's input and output. */
export class RunPage {
  constructor(readonly page: Page) {}

  status = () => this.page.getByTestId("run-detail-status");
  input = () => this.page.getByTestId("run-input");
  timeline = (nodeId: string) => this.page.getByTestId(`timeline-${nodeId}`);
  stepDetail = (nodeId: string) => this.page.getByTestId(`step-detail-${nodeId}`);
  stepOutput = (nodeId: string) => this.stepDetail(nodeId).getByTestId("step-output");
  /** A model or tool call nested under its step in the trace. */
  span = (nodeId: string) => this.page.getByTestId(`span-${nodeId}`);

  /** Opens a run's page, with one step's detail open when given (as links from elsewhere do with ?step=). */
  async open(runId: string, step?: string) {
    await this.page.goto(step ? `/runs/${runId}?step=${step}` : `/runs/${runId}`);
  }

  async expectStatus(status: string) {
    await expect(this.status()).toHaveText(status);
  }

  /** A step's status in the timeline ("done", "waiting", "failed"…). */
  async expectStepStatus(nodeId: string, status: string) {
    await expect(this.timeline(nodeId)).toContainText(status);
  }

  /** Opens a step's input and output from its line in the timeline. */
  async openStep(nodeId: string) {
    await this.timeline(nodeId).getByRole("button").click();
  }

  /** Shows the whole of a value that was cut short, by its "Show all (N characters)" button. */
  async showAll(nodeId: string, label: RegExp) {
    await this.stepOutput(nodeId).getByRole("button", { name: label }).click();
  }
}
