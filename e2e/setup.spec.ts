import { expect, test } from "@playwright/test";
import { addMember, newPerson, setUpFirstAdmin, signedInApi } from "./support/people";
import { startStudio, startStudioExpectingFailure, type Studio } from "./support/studio";

/** An empty installation: the first visit creates the first admin; data survives a restart. */
test.describe("first run", () => {
  // Each test starts a server of its own (and one restarts it): more than the default minute on a busy machine.
  test.describe.configure({ timeout: 120_000 });
  let studio: Studio;
  test.beforeEach(async () => {
    studio = await startStudio();
  });
  test.afterEach(async () => studio.stop());

  test("the first visit offers to create the first admin, who lands in a workspace with the demo workflow; a restart keeps it all @smoke", async ({
    page,
  }) => {
    test.slow(); // two submissions of the form, a server restart and a sign-in
    const admin = newPerson("Ada");
    await page.goto(`${studio.url}/`);
    await expect(page).toHaveURL(/\/setup$/);
    await expect(page.getByRole("heading", { name: "Create the first admin" })).toBeVisible();

    // A mistake is named next to its field, and nothing is created. The errors grow the card
    // downward: the heading and the field being typed in stay where they were (on a window tall
    // enough for the card to be centred, as it was then).
    await page.setViewportSize({ width: 1280, height: 1000 });
    const top = async () => (await page.getByRole("heading", { name: "Create the first admin" }).boundingBox())!.y;
    const before = await top();
    await page.getByLabel("Your name").fill(admin.name);
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create admin and open the studio" }).click();
    await expect(page.getByText("Enter an email address such as ada@example.com")).toBeVisible();
    await expect(page.getByText("Use at least 10 characters")).toBeVisible();
    expect(await top()).toBe(before);

    // A password that is long enough but easy to guess is refused, and the reason shown.
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill("aaaaaaaaaa");
    await page.getByLabel("Workspace name").fill("Research Lab");
    await page.getByRole("button", { name: "Create admin and open the studio" }).click();
    await expect(page.getByText('Repeated characters like "aaa" are easy to guess.')).toBeVisible();

    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Create admin and open the studio" }).click();
    await expect(page.getByRole("heading", { name: `Welcome, ${admin.name}` })).toBeVisible();
    await expect(page.getByTestId("user-role")).toHaveText("admin");
    await expect(page.getByTestId("workspace-switcher")).toHaveValue(/.+/);
    await expect(page.getByTestId("workspace-switcher").locator("option:checked")).toHaveText("Research Lab");
    await page.screenshot({ path: "test-results/screens/home-admin.png" });

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
    await expect(
      page.getByTestId("workflow-row").filter({ hasText: "Demo: research brief with approval" }),
    ).toBeVisible();
    await page.screenshot({ path: "test-results/screens/workflows.png" });

    // Setup is offered once only.
    await page.goto(`${studio.url}/setup`);
    await expect(page).not.toHaveURL(/\/setup$/);
    const again = await page.request.post(`${studio.url}/api/setup`, {
      data: { name: "Eve", email: "eve@example.com", password: "0123456789ab", workspaceName: "Mine" },
    });
    expect(again.status()).toBe(409);

    await studio.restart();
    await page.context().clearCookies();
    await page.goto(`${studio.url}/signin`);
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("heading", { name: `Welcome, ${admin.name}` })).toBeVisible();
    await page.goto(`${studio.url}/workflows`);
    await expect(
      page.getByTestId("workflow-row").filter({ hasText: "Demo: research brief with approval" }),
    ).toBeVisible();
  });

  test("health tells anyone only up or down; a signed-in admin also sees the database and its migrations", async ({
    request,
  }) => {
    const res = await request.get(`${studio.url}/api/health`);
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });

    const admin = newPerson("Ada");
    await setUpFirstAdmin(studio.url, admin);
    const builder = await addMember(await signedInApi(studio.url, admin), "BUILDER");
    const builderApi = await signedInApi(studio.url, builder);
    expect(await (await builderApi.get("/api/health")).json()).toEqual({ status: "ok" });

    const adminApi = await signedInApi(studio.url, admin);
    const body = await (await adminApi.get("/api/health")).json();
    expect(body.status).toBe("ok");
    expect(body.database.kind).toBe(studio.databaseKind);
    expect(body.database.migrations.pending).toEqual([]);
    expect(body.database.migrations.applied.length).toBeGreaterThan(0);
  });
});

test("start-up stops with a message naming a malformed environment variable", async () => {
  const result = await startStudioExpectingFailure({
    DATABASE_URL: "mysql://nope",
    FLOWDECK_DATA_DIR: "/tmp/flowdeck-never-used",
  });
  expect(result.code).not.toBe(0);
  expect(result.output).toContain("DATABASE_URL: must be a postgres:// or postgresql:// connection URL");
});
