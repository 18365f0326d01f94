import { expect, type Page } from "@playwright/test";
import { ReviewPage } from "./review-page";

/** The inbox (/inbox): the pending reviews a person may decide, live, and the decided ones. */
export class InboxPage {
  constructor(readonly page: Page) {}

  navigationLink = () => this.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" });
  /** The number of waiting reviews beside the navigation link (absent when none). */
  count = () => this.page.getByTestId("inbox-count");
  items = () => this.page.getByTestId("inbox-item");
  itemsFor = (text: string) => this.items().filter({ hasText: text });
  bulkBar = () => this.page.getByTestId("bulk-bar");
  bulkResult = () => this.page.getByTestId("bulk-result");
  approveSelectedButton = (count: number) => this.page.getByRole("button", { name: `Approve ${count}` });
  rejectSelectedButton = (count: number) => this.page.getByRole("button", { name: `Reject ${count}` });
  /** Decided reviews in the history, by text (a workflow, a step, a person). */
  decided = (text: string) => this.page.getByTestId("history-item").filter({ hasText: text });

  async openFromNavigation() {
    await this.navigationLink().click();
    await expect(this.page.getByRole("heading", { name: "Inbox" })).toBeVisible();
  }

  /** Opens the inbox, filtered to one workflow when given. */
  async open(filter: { workflow?: string } = {}) {
    await this.page.goto(filter.workflow ? `/inbox?workflow=${filter.workflow}` : "/inbox");
  }

  async filterByWorkflow(name: string) {
    await this.page.getByLabel("Workflow").selectOption({ label: name });
  }

  /** Opens the first review whose item shows this text. */
  async openReview(text: string): Promise<ReviewPage> {
    await this.itemsFor(text).first().click();
    return new ReviewPage(this.page);
  }

  /** Ticks the item at this position of the list (0 is the first). */
  async select(position: number) {
    await this.page.getByTestId("inbox-list").locator("li").nth(position).getByRole("checkbox").check();
  }

  async selectAll() {
    await this.page.getByLabel("Select all").check();
  }

  async approveSelected(count: number) {
    await this.approveSelectedButton(count).click();
  }

  async pressKey(key: "j" | "k" | "x" | "Enter") {
    await this.page.keyboard.press(key);
  }

  /** Follows the inbox's "Decided reviews" link to the history. */
  async showDecided() {
    await this.page.getByRole("link", { name: "Decided reviews" }).click();
  }

  async openHistory() {
    await this.page.goto("/inbox/history");
  }

  async openNotificationSettings() {
    await this.open();
    await this.page.getByRole("link", { name: "Notification settings" }).click();
  }
}
