import { expect, test } from "./support/fixtures";
import { scriptsLate } from "./support/late-scripts";
import { audit } from "./support/axe";
import { addMember, fromAccountMenu, signInThroughPage, signInToHome } from "./support/people";

test.describe("signing in and out", () => {
  test("a member signs in, sees their name and role, signs out, and is sent to sign-in afterwards", async ({
    page,
    adminApi,
  }) => {
    const builder = await addMember(adminApi, "BUILDER");
    await page.goto("/workflows");
    await expect(page).toHaveURL(/\/signin$/);

    await signInThroughPage(page, builder);
    await expect(page.getByRole("heading", { name: `Welcome, ${builder.name}` })).toBeVisible();
    await expect(page.getByTestId("user-role")).toHaveText("builder");

    await fromAccountMenu(page, "Sign out");
    await expect(page).toHaveURL(/\/signin$/);
    await page.goto("/workflows");
    await expect(page).toHaveURL(/\/signin$/);
    expect((await page.request.get("/api/me")).status()).toBe(401);
  });

  test("the header keeps to one line on a 1280 px laptop: the account's links are in a menu under the person's name", async ({
    page,
    admin,
  }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInToHome(page, admin);
    const middle = async (name: string | RegExp, role: "navigation" | "button") => {
      const box = (await page.getByRole(role, { name }).boundingBox())!;
      return box.y + box.height / 2;
    };
    expect(Math.abs((await middle("Main", "navigation")) - (await middle(/account menu$/, "button")))).toBeLessThan(8);
    await page.getByRole("button", { name: /account menu$/ }).click();
    const menu = page.getByRole("menu", { name: "Account menu", exact: true });
    await expect(menu.getByText(admin.email)).toBeVisible();
    for (const item of [
      "Organization",
      "Account",
      "API keys",
      // A workspace admin's settings that have no place in the top bar.
      "Variables and secrets",
      "HTTP destinations",
      "Review notifications",
      "Audit log",
      "Sign out",
    ])
      await expect(menu.getByRole("menuitem", { name: item, exact: true })).toBeVisible();
    await page.screenshot({ path: "test-results/screens/header-1280.png" });
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await expect(menu).toHaveCount(0);
    await page.getByRole("button", { name: /account menu$/ }).click();
    await menu.getByRole("menuitem", { name: "HTTP destinations", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "HTTP destinations" })).toBeVisible();
  });

  test("what is typed before the page's scripts run is kept, and the password never goes into an address", async ({
    page,
    adminApi,
  }) => {
    const builder = await addMember(adminApi, "BUILDER");
    const addresses: string[] = [];
    page.on("request", (r) => addresses.push(r.url()));
    // The page's scripts come late (a slow connection); the person types and presses Enter at once.
    await scriptsLate(page);
    await page.goto("/signin", { waitUntil: "domcontentloaded" });
    await page.getByLabel("Email").fill(builder.email);
    await page.getByLabel("Password").fill(builder.password);
    await page.getByLabel("Password").press("Enter");
    // Nothing went before the page could send it itself; what was typed is still there.
    const signIn = page.getByRole("button", { name: "Sign in", exact: true });
    await expect(signIn).toBeEnabled();
    await expect(page.getByLabel("Password")).toHaveValue(builder.password);
    await signIn.click();
    await expect(page.getByRole("heading", { name: `Welcome, ${builder.name}` })).toBeVisible();
    expect(
      addresses.filter((a) => a.includes(encodeURIComponent(builder.password)) || a.includes("password=")),
    ).toEqual([]);
  });

  test("a wrong password and an unknown email get the same message, which does not say which was wrong", async ({
    page,
    adminApi,
  }) => {
    const reviewer = await addMember(adminApi, "REVIEWER");
    await signInThroughPage(page, { email: reviewer.email, password: "not-the-password" });
    await expect(page.getByTestId("signin-error")).toHaveText("Email or password is incorrect.");
    await page.screenshot({ path: "test-results/screens/signin-error.png" });

    await signInThroughPage(page, { email: "nobody-here@example.com", password: reviewer.password });
    await expect(page.getByTestId("signin-error")).toHaveText("Email or password is incorrect.");
    await expect(page).toHaveURL(/\/signin$/);
  });

  test("after five failed attempts from one address the account is blocked there for a minute, even with the right password", async ({
    page,
    adminApi,
  }) => {
    const builder = await addMember(adminApi, "BUILDER");
    for (let i = 0; i < 5; i += 1) {
      await signInThroughPage(page, { email: builder.email, password: `wrong-${i}-password` });
      await expect(page.getByTestId("signin-error")).toHaveText("Email or password is incorrect.");
    }
    await signInThroughPage(page, builder);
    await expect(page.getByTestId("signin-error")).toHaveText(
      /Too many failed sign-in attempts\. Try again in 1 minute\./,
    );
    await expect(page).toHaveURL(/\/signin$/);
  });

  test("a deactivated member cannot sign in, and loses an open session at once", async ({
    page,
    adminApi,
    browser,
  }) => {
    const builder = await addMember(adminApi, "BUILDER");
    await signInThroughPage(page, builder);
    await expect(page.getByRole("heading", { name: `Welcome, ${builder.name}` })).toBeVisible();

    // The admin deactivates them on the Members page.
    const adminContext = await browser.newContext({ storageState: await adminApi.storageState() });
    const adminPage = await adminContext.newPage();
    await adminPage.goto("/admin/members");
    const row = adminPage.getByTestId("member-row").filter({ hasText: builder.email });
    await row.getByRole("button", { name: "Deactivate" }).click();
    await expect(row.getByText("deactivated")).toBeVisible();
    await adminContext.close();

    await page.reload();
    await expect(page).toHaveURL(/\/signin$/);
    await signInThroughPage(page, builder);
    await expect(page.getByTestId("signin-error")).toHaveText(
      "This account is deactivated. Ask an admin of your workspace to reactivate it.",
    );
  });
});
