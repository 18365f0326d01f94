import type { Page } from "@playwright/test";

/** The editor's Versions tab: published versions opened read-only, compared with the draft, restored. */
export class VersionsPanel {
  constructor(readonly page: Page) {}

  version = (n: number) => this.page.getByTestId(`version-${n}`);
  diffSummary = () => this.page.getByTestId("diff-summary");
  viewingBanner = () => this.page.getByTestId("viewing-banner");

  async show() {
    await this.page.getByRole("tab", { name: "Versions" }).click();
  }

  async compareWithDraft(n: number) {
    await this.version(n).getByRole("button", { name: "Compare with draft" }).click();
  }

  async stopComparing() {
    await this.diffSummary().getByRole("button", { name: "Stop comparing" }).click();
  }

  async open(n: number) {
    await this.version(n).getByRole("button", { name: "Open" }).click();
  }

  async backToDraft() {
    await this.viewingBanner().getByRole("button", { name: "Back to draft" }).click();
  }

  async restore(n: number) {
    await this.version(n).getByRole("button", { name: "Restore into draft" }).click();
  }
}
