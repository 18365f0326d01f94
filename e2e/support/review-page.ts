import { expect, type Page } from "@playwright/test";

/**
 * One review (/inbox/:id): the instructions, the content under review (shown readably,
 * editable on request), the run so far, comments, who has it, and the decision.
 */
export class ReviewPage {
  constructor(readonly page: Page) {}

  review = () => this.page.getByTestId("review");
  instructions = () => this.page.getByTestId("review-instructions");
  /** The content as shown before editing: text, markdown, or JSON as a tree. */
  contentView = () => this.page.getByTestId("review-content-view");
  /** The content's text while editing it. */
  contentEditor = () => this.page.getByLabel("Content under review");
  contentError = () => this.page.getByTestId("content-error");
  /** The form generated from JSON content, one field per value. */
  jsonForm = () => this.page.getByTestId("json-form");
  jsonField = (name: string) => this.jsonForm().getByLabel(name, { exact: true });
  reason = () => this.page.getByLabel(/Reason/);
  comments = () => this.page.getByTestId("comments");
  assignee = () => this.page.getByTestId("assignee");

  async open(reviewId: string) {
    await this.page.goto(`/inbox/${reviewId}`);
  }

  async expectOpen(reviewId: string) {
    await expect(this.page).toHaveURL(new RegExp(`/inbox/${reviewId}$`));
  }

  /** Opens the text content for editing. */
  async edit() {
    await this.page.getByRole("button", { name: "Edit", exact: true }).click();
  }

  /** Opens JSON content for editing, as a form. */
  async editJson() {
    await this.page.getByRole("button", { name: "Edit the JSON" }).click();
  }

  /** Switches the JSON editor from the form to the JSON text. */
  async showJsonText() {
    await this.page.getByRole("tab", { name: "JSON" }).click();
  }

  async rewriteContent(text: string) {
    await this.contentEditor().fill(text);
  }

  async approve() {
    await this.page.getByRole("button", { name: "Approve" }).click();
  }

  async approveWithEdits() {
    await this.page.getByRole("button", { name: "Approve with my edits" }).click();
  }

  async reject() {
    await this.page.getByRole("button", { name: "Reject" }).click();
  }

  async rejectWith(reason: string) {
    await this.reason().fill(reason);
    await this.reject();
  }

  /** Presses a decision key (A approve, R reject, N next) with the focus outside text fields. */
  async pressKey(key: "a" | "r" | "n") {
    await this.page.locator("h1").click();
    await this.page.keyboard.press(key);
  }

  async comment(text: string) {
    await this.page.getByPlaceholder("Write a comment").fill(text);
    await this.page.getByRole("button", { name: "Comment" }).click();
  }

  async claim() {
    await this.page.getByRole("button", { name: "Claim" }).click();
  }

  /** Hands the review to someone, by their entry in the "Hand to" list ("Name (reviewer)"). */
  async handTo(entry: string) {
    await this.page.getByLabel("Hand to").selectOption({ label: entry });
    await this.page.getByRole("button", { name: "Hand over" }).click();
  }

  /** A decision sends the reviewer back to the inbox. */
  async expectBackInInbox() {
    await expect(this.page).toHaveURL(/\/inbox$/);
  }
}
