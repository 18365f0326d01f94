import { expect, test } from "./support/fixtures";
import { addMember, signedInApi, signInThroughPage } from "./support/people";

test.describe("what each role may reach", () => {
  test("a reviewer sees neither builder nor admin pages, and their APIs answer 403", async ({
    page,
    studio,
    adminApi,
  }) => {
    const reviewer = await addMember(adminApi, "REVIEWER");
    await signInThroughPage(page, reviewer);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Home" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Workflows" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Members" })).toHaveCount(0);

    for (const path of ["/workflows", "/admin/members"]) {
      await page.goto(path);
      await expect(page.getByTestId("access-denied")).toBeVisible();
      await expect(page.getByTestId("workflow-table")).toHaveCount(0);
      await expect(page.getByTestId("members-table")).toHaveCount(0);
    }
    await page.screenshot({ path: "test-results/screens/access-denied.png" });

    const api = await signedInApi(studio.url, reviewer);
    const calls = [
      api.get("/api/workflows"),
      api.post("/api/workflows", { data: { name: "Sneaky" } }),
      api.get("/api/admin/members"),
      api.post("/api/admin/invitations", { data: { name: "X", email: "x@example.com", role: "ADMIN" } }),
      api.post("/api/workspaces", { data: { name: "Mine" } }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status(), res.url()).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    }
    await api.dispose();
  });

  test("a builder works on workflows but cannot reach admin pages or APIs", async ({ page, studio, adminApi }) => {
    const builder = await addMember(adminApi, "BUILDER");
    await signInThroughPage(page, builder);
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Members" })).toHaveCount(0);
    await nav.getByRole("link", { name: "Workflows" }).click();
    await page.getByLabel("New workflow name").fill("Triage inbound email");
    await page.getByRole("button", { name: "New workflow" }).click();
    await expect(page.getByLabel("Workflow name")).toHaveValue("Triage inbound email");
    await page.getByRole("link", { name: "Back to workflows" }).click();
    await expect(page.getByTestId("workflow-row").filter({ hasText: "Triage inbound email" })).toBeVisible();

    await page.goto("/admin/members");
    await expect(page.getByTestId("access-denied")).toBeVisible();

    const api = await signedInApi(studio.url, builder);
    expect((await api.get("/api/workflows")).status()).toBe(200);
    expect((await api.get("/api/admin/members")).status()).toBe(403);
    expect((await api.patch("/api/admin/members/anything", { data: { role: "ADMIN" } })).status()).toBe(403);
    expect((await api.get("/api/admin/invitations")).status()).toBe(403);
    await api.dispose();
  });

  test("an admin invites a reviewer by link; the reviewer joins with their own password; the admin changes their role", async ({
    page,
    browser,
    adminApi,
  }) => {
    const adminContext = await browser.newContext({ storageState: await adminApi.storageState() });
    const adminPage = await adminContext.newPage();
    await adminPage.goto("/admin/members");
    const form = adminPage.getByTestId("add-member-form");
    const email = `rita.${Date.now()}@example.com`;
    await form.getByLabel("Name").fill("Rita Reviewer");
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Role").selectOption("REVIEWER");
    await form.getByRole("button", { name: "Create invitation link" }).click();
    const link = await adminPage.getByRole("textbox", { name: "Invitation link" }).inputValue();
    expect(link).toMatch(/\/invite\/[\w-]{20,}$/);
    await adminPage.reload();
    await expect(adminPage.getByTestId("invitation-list")).toContainText(email);
    await adminPage.screenshot({ path: "test-results/screens/members.png", fullPage: true });

    await page.goto(link);
    await expect(page.getByRole("heading", { name: /Join Acme/ })).toBeVisible();
    await page.getByLabel("Password").fill("rita-picks-a-long-password");
    await page.getByRole("button", { name: "Join workspace" }).click();
    await expect(page.getByRole("heading", { name: "Welcome, Rita Reviewer" })).toBeVisible();
    await expect(page.getByTestId("user-role")).toHaveText("reviewer");

    // The link works once.
    const reuse = await page.request.post("/api/invitations/accept", {
      data: { token: link.split("/").pop(), password: "another-long-password" },
    });
    expect(reuse.status()).toBe(409);

    await adminPage.reload();
    // The admin's own role is said, with who can change it, rather than a control that does nothing.
    const mine = adminPage.getByTestId("member-row").filter({ hasText: "(you)" });
    // (Which of the two depends on whether this worker's workspace has another admin by now.)
    await expect(
      mine.getByText(/^(Another admin can change your role\.|You are the only admin: make someone else admin)/),
    ).toBeVisible();
    await expect(mine.getByRole("combobox")).toHaveCount(0);
    const row = adminPage.getByTestId("member-row").filter({ hasText: email });
    await Promise.all([
      adminPage.waitForResponse(
        (r) => r.url().includes("/api/admin/members/") && r.request().method() === "PATCH" && r.ok(),
      ),
      row.getByLabel(/Role of/).selectOption("BUILDER"),
    ]);
    await expect(row.getByLabel(/Role of/)).toHaveValue("BUILDER");
    await page.reload();
    await expect(page.getByTestId("user-role")).toHaveText("builder");
    await adminContext.close();
  });

  test("nobody changes their own role, so a workspace never loses its last admin", async ({ adminApi }) => {
    const members = (await (await adminApi.get("/api/admin/members")).json()).members as {
      id: string;
      role: string;
      email: string;
    }[];
    const me = (await (await adminApi.get("/api/me")).json()).user.email;
    const self = members.find((m) => m.email === me)!;
    const res = await adminApi.patch(`/api/admin/members/${self.id}`, { data: { role: "REVIEWER" } });
    expect(res.status()).toBe(400);
    expect((await res.json()).error.message).toMatch(/cannot change your own role/);
  });
});
