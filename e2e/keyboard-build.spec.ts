import { expect, test } from "./support/fixtures";
import { command } from "./support/editor-page";
import { signInToHome } from "./support/people";
import type { Locator, Page } from "@playwright/test";

/** Presses Tab until `target` has the keyboard (as a person tabs through a page). */
async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
}

test("a three-step workflow is built, connected and run with the keyboard alone", async ({ page, admin }) => {
  test.slow(); // every field reached by Tab, one press at a time: near a minute beside another worker
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.goto("/workflows");
  const name = `Keyboard ${Date.now()}`;
  await tabTo(page, page.getByLabel("New workflow name"));
  await page.keyboard.type(name);
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Workflow name")).toHaveValue(name);
  await expect(page.getByRole("group", { name: "Start, Start step" })).toBeVisible();

  // Add an Agent: its form has the keyboard; name it and write its instructions.
  await command(page, "Add Agent");
  await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
  await page.keyboard.press("Control+a");
  await page.keyboard.type("Summarise");
  await tabTo(page, page.getByLabel("Instructions"));
  await page.keyboard.type("Summarise this in one line: the input");
  await command(page, "Connect “Start” to “Summarise”");
  await expect(page.getByRole("button", { name: /^Connection from Start to Summarise:/ })).toBeVisible();

  await command(page, "Add Output");
  await expect(page.getByLabel("Name", { exact: true })).toBeFocused();
  await tabTo(page, page.getByLabel("Result"));
  await page.keyboard.type("The summary");
  await command(page, "Connect “Summarise” to “Output”");
  await expect(page.getByRole("button", { name: /^Connection from Summarise to Output:/ })).toBeVisible();

  // The connection's menu works from the keyboard as well: it offers to insert a step.
  await tabTo(page, page.getByRole("button", { name: /^Connection from Summarise to Output:/ }), 80);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitem", { name: "Human Review" })).toBeVisible();
  await page.keyboard.press("Escape");

  await expect(page.getByText("All changes saved")).toBeVisible();
  await command(page, "Run the workflow");
  const dialog = page.getByRole("dialog", { name: "Run this workflow" });
  await tabTo(page, dialog.getByLabel("input"));
  await page.keyboard.type("Kelp forests grow fast.");
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("tabpanel").getByText("completed", { exact: true }).first()).toBeVisible({
    timeout: 20_000,
  });
  await expect(page.getByRole("group", { name: "Summarise, Agent step" }).getByText("Done")).toBeVisible();
});
