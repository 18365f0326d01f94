import { expect, type Page } from "@playwright/test";

/**
 * On the HTTP destinations page, an admin allows `host` with "Also private and loopback
 * addresses" ticked, and sees it listed so.
 */
export async function allowPrivateHost(page: Page, host: string): Promise<void> {
  await page.getByRole("textbox", { name: "Host" }).fill(host);
  await page.getByLabel(/Also private and loopback addresses/).check();
  await page.getByRole("button", { name: "Allow host" }).click();
  await expect(
    page.getByRole("region", { name: "Allowed hosts" }).getByRole("listitem").filter({ hasText: host }),
  ).toContainText("private addresses allowed");
}
