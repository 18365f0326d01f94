import { expect, test, type Page } from "@playwright/test";
import { audit } from "./support/axe";
import { newPerson } from "./support/people";
import { startStudio, type Studio } from "./support/studio";

/**
 * A person alone in a fresh installation, using only what they see: the first ten minutes,
 * from creating the first admin to a run approved, completed and counted.
 */
test.describe("a newcomer alone in a fresh workspace", () => {
  test.describe.configure({ timeout: 180_000 });
  let studio: Studio;
  test.beforeAll(async () => {
    studio = await startStudio();
  });
  test.afterAll(async () => studio.stop());

  const connection = (page: Page, from: string, to: string) =>
    page.getByRole("button", { name: new RegExp(`^Connection from ${from} to ${to}:`) });

  test("builds from a template, drags a review onto a connection and inserts one with +, runs, approves their own review in the inbox, and sees the run complete live and counted @smoke", async ({
    page,
    context,
  }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const admin = newPerson("Nia");
    await page.goto(`${studio.url}/`);
    expect(await audit(page)).toEqual([]);
    await page.getByLabel("Your name").fill(admin.name);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Create admin and open the studio" }).click();
    await expect(page.getByRole("heading", { name: `Welcome, ${admin.name}` })).toBeVisible();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
    await page.getByRole("button", { name: "From template" }).click();
    await page
      .getByRole("dialog", { name: "New from template" })
      .getByRole("button", { name: /Classify and route/ })
      .click();
    await expect(page.getByLabel("Workflow name")).toHaveValue("Classify and route");

    // Readable at the zoom the canvas opens with: a step's name is drawn at least 9 px tall.
    const name = page.getByText("Billing agent", { exact: true });
    await expect(name).toBeVisible();
    expect((await name.boundingBox())!.height).toBeGreaterThanOrEqual(9);
    await expect(page.getByRole("group", { name: "Billing agent, Agent step" })).toBeVisible();

    // Drag a Human Review from the palette, by mouse, onto the connection after the general agent.
    const palette = page.getByRole("complementary", { name: "Node palette" });
    await palette
      .getByRole("button", { name: /Human Review/ })
      .dragTo(connection(page, "General agent", "General answer"));
    await expect(connection(page, "General agent", "Human Review")).toBeVisible();
    await expect(connection(page, "Human Review \\(approved\\)", "General answer")).toBeVisible();
    await expect(connection(page, "General agent", "General answer")).toHaveCount(0);
    await page.getByLabel("Name", { exact: true }).fill("Check the general answer");
    await page.getByLabel("Instructions for the reviewer").fill("Is the answer right and polite?");

    // Insert another with the + on the connection after the billing agent.
    await connection(page, "Billing agent", "Billing answer").click();
    await page.getByRole("menuitem", { name: "Human Review" }).click();
    await expect(connection(page, "Billing agent", "Human Review")).toBeVisible();
    await page.getByLabel("Name", { exact: true }).fill("Check the billing answer");
    await page.getByLabel("Instructions for the reviewer").fill("Is the refund right?");
    // It goes to the admin, the only person here, who may approve their own runs.
    await expect(page.getByLabel("Who reviews (role)")).toHaveValue("ADMIN");
    await expect(page.getByLabel("The person who started the run may approve it")).toBeChecked();
    await expect(connection(page, "Check the billing answer \\(approved\\)", "Billing answer")).toBeVisible();
    await expect(page.getByText("All changes saved")).toBeVisible();
    await page.getByRole("tab", { name: "Problems" }).click();
    await expect(page.getByText("No problems: this workflow can be published.")).toBeVisible();
    await page.screenshot({ path: "test-results/screens/newcomer-canvas.png" });
    // With the connection menu open too.
    await connection(page, "Classify", "Billing\\?").click();
    await expect(page.getByRole("menu")).toBeVisible();
    expect(await audit(page, undefined, { heading: false })).toEqual([]);
    await page.keyboard.press("Escape");

    // Run it: the step that waits says so in words on the canvas.
    await page.getByRole("button", { name: /Run$/ }).first().click();
    await page.getByLabel("request").fill("I was charged twice: a billing mistake on my invoice.");
    await page.getByRole("button", { name: "Start run" }).click();
    await expect(page.getByText("Waiting for a person").first()).toBeVisible({ timeout: 30_000 });
    const runLink = page.getByRole("link", { name: "Open run page" });
    const runPage = await context.newPage();
    await runPage.goto(`${studio.url}${await runLink.getAttribute("href")}`);
    await expect(runPage.getByText("waiting", { exact: true }).first()).toBeVisible();

    // The solo admin finds the review in the inbox, and may decide it.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
    await page.getByRole("link", { name: /Check the billing answer/ }).click();
    await page.getByRole("button", { name: "Approve", exact: true }).click();

    // The run page, left open, follows the run to its end.
    await expect(runPage.getByText("completed", { exact: true }).first()).toBeVisible({ timeout: 30_000 });
    await runPage.screenshot({ path: "test-results/screens/newcomer-run.png" });

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect(page.getByText("Runs started", { exact: true }).locator("xpath=..")).toContainText("1");
  });
});
