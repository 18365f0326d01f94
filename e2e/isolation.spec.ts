import { expect, test } from "./support/fixtures";
import { addMember, signedInApi, signInThroughPage, signInToHome } from "./support/people";

test("nothing of one workspace is visible from another: lists, direct ids and switching all refuse", async ({
  page,
  studio,
  adminApi,
}) => {
  // Workspace A: the fixture's. Its admin creates workspace B and adds a builder there.
  const aWorkflow = (await (await adminApi.post("/api/workflows", { data: { name: "Secret plan of A" } })).json()) as {
    id: string;
  };
  const membersOfA = await (await adminApi.get("/api/me")).json();
  const workspaceA = membersOfA.workspace.id as string;

  const created = await adminApi.post("/api/workspaces", { data: { name: `Beta ${Date.now()}` } });
  expect(created.status()).toBe(201);
  const workspaceB = (await created.json()).id as string;
  expect((await adminApi.put("/api/workspaces/current", { data: { workspaceId: workspaceB } })).status()).toBe(200);
  const outsider = await addMember(adminApi, "BUILDER", "outsider");
  await adminApi.put("/api/workspaces/current", { data: { workspaceId: workspaceA } });

  const api = await signedInApi(studio.url, outsider);
  const mine = await (await api.get("/api/me")).json();
  expect(mine.workspace.id).toBe(workspaceB);
  expect(mine.workspaces.map((w: { id: string }) => w.id)).toEqual([workspaceB]);

  const list = (await (await api.get("/api/workflows")).json()).workflows as { name: string }[];
  expect(list.map((w) => w.name)).not.toContain("Secret plan of A");

  const direct = await api.get(`/api/workflows/${aWorkflow.id}`);
  expect(direct.status()).toBe(404);
  expect(JSON.stringify(await direct.json())).not.toContain("Secret plan");

  const switchToA = await api.put("/api/workspaces/current", { data: { workspaceId: workspaceA } });
  expect(switchToA.status()).toBe(404);

  // Even with A's id forced into the workspace cookie, they stay in B.
  await api.dispose();
  await signInThroughPage(page, outsider);
  await expect(page.getByRole("heading", { name: `Welcome, ${outsider.name}` })).toBeVisible();
  await page.context().addCookies([{ name: "flowdeck-workspace", value: workspaceA, url: studio.url }]);
  await page.goto("/workflows");
  await expect(page.getByTestId("workflow-table")).toBeVisible();
  await expect(page.getByText("Secret plan of A")).toHaveCount(0);
  expect((await (await page.request.get("/api/me")).json()).workspace.id).toBe(workspaceB);
});

test("an admin creates a new workspace from the switcher and lands in it, with its own demo workflow", async ({
  page,
  admin,
}) => {
  await signInToHome(page, admin);
  const name = `Lab ${Date.now().toString(36)}`;
  await page.getByTestId("workspace-switcher").selectOption("__new__");
  await page.getByTestId("new-workspace-dialog").getByLabel("Workspace name").fill(name);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByTestId("workspace-switcher").locator("option:checked")).toHaveText(name);
  await expect(page.getByText(`in ${name}.`)).toBeVisible();
  await page.goto("/workflows");
  await expect(page.getByTestId("workflow-row")).toHaveCount(1);
  await expect(page.getByTestId("workflow-row")).toContainText("Demo: research brief with approval");
});
