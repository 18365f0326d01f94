import path from "node:path";
import { audit } from "./support/axe";
import { expect, test } from "./support/fixtures";
import { addMember, newTeam, signedInApi, signInToHome } from "./support/people";

/**
 * The organization's tool servers, in Chromium: an installation owner adds the real
 * server-everything (stdio) once under Organization → Tool servers, tests it, and grants it to a
 * second team; that team's admin (not an owner) sees it on the Tools page, marked as the
 * organization's, without the buttons to test, change or remove it, and lets the team's builders
 * use one of its tools; a builder of the team can then pick it, and a builder of the owner's own
 * team, which was not granted the server, cannot.
 */
const everything = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");

test("an installation owner adds a tool server once and grants it to a team, whose admin allows its tools", async ({
  page,
  browser,
  admin,
  adminApi,
  studio,
}) => {
  test.setTimeout(120_000);
  const name = `org-tools-${Date.now().toString(36)}`;
  const {
    name: team,
    admin: teamAdmin,
    builder: teamBuilder,
  } = await newTeam(adminApi, `Initech ${Date.now().toString(36)}`);
  const homeBuilder = await addMember(adminApi, "BUILDER");

  await page.setViewportSize({ width: 1440, height: 1000 });
  await signInToHome(page, admin);
  await page.goto("/organization");
  await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Tool servers" }).click();
  await expect(page.getByRole("heading", { name: "Tool servers", level: 2 })).toBeVisible();
  await page.getByRole("button", { name: "Add tool server" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a tool server for the organization" });
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Command").fill("node");
  await dialog.getByLabel("Arguments").fill(`${everything}\nstdio`);
  await dialog.getByLabel("Environment secrets").fill("ORG_TOKEN=org-secret-value-31");
  await dialog.getByRole("button", { name: "Add server" }).click();
  const card = page.getByRole("listitem", { name });
  await expect(card).toContainText("secrets: ORG_TOKEN");
  await card.getByRole("button", { name: "Test and discover" }).click();
  await expect(card.getByTestId("server-test-result")).toContainText(
    /Connected: \d+ tools; grant the server to a team/,
  );

  await card.getByRole("group", { name: "Granted to" }).getByRole("checkbox", { name: team }).check();
  await card.getByRole("button", { name: "Save teams" }).click();
  await expect(card.getByTestId("server-teams-result")).toContainText(
    /Saved: \d+ tools in the catalog of each team granted now, allowed to nobody until its admins choose roles/,
  );
  await expect(card.getByRole("checkbox", { name: team })).toBeChecked();
  await page.screenshot({ path: "test-results/screens/organization-tool-servers.png", fullPage: true });
  expect(await audit(page)).toEqual([]);
  expect(await page.content()).not.toContain("org-secret-value-31");

  await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Teams" }).click();
  await expect(page.getByRole("listitem", { name: team, exact: true })).toContainText(`Tool servers: ${name}`);

  // The team's admin: the server, read-only, and its tools to allow.
  const context = await browser.newContext({ baseURL: studio.url });
  const teamPage = await context.newPage();
  await teamPage.setViewportSize({ width: 1440, height: 1000 });
  await signInToHome(teamPage, teamAdmin);
  await teamPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tools" }).click();
  const granted = teamPage.getByRole("listitem", { name });
  await expect(granted).toContainText("from the organization");
  await expect(granted).toContainText("Granted by the organization");
  await expect(granted.getByRole("button")).toHaveCount(0);
  await expect(granted).not.toContainText("server-everything"); // what it runs is the organization's
  const teamApi = await signedInApi(studio.url, teamAdmin);
  const { servers } = await (await adminApi.get("/api/organization/tool-servers")).json();
  const serverId = (servers as { id: string; name: string }[]).find((s) => s.name === name)!.id;
  const revoke = await teamApi.put(`/api/organization/tool-servers/${serverId}/teams`, { data: { workspaceIds: [] } });
  expect(revoke.status()).toBe(403);
  expect((await teamApi.get("/api/organization/tool-servers")).status()).toBe(403);
  const builderApi = await signedInApi(studio.url, teamBuilder);
  const choices = async (api: typeof builderApi) =>
    ((await (await api.get("/api/tools")).json()).tools as { name: string }[]).map((t) => t.name);
  expect(await choices(builderApi)).not.toContain(`${name}__echo`);
  await teamPage.getByRole("checkbox", { name: `${name}__echo builder` }).check();
  await expect.poll(() => choices(builderApi)).toContain(`${name}__echo`);
  expect(await audit(teamPage)).toEqual([]);
  await teamPage.screenshot({ path: "test-results/screens/team-tools-granted.png", fullPage: true });

  // The team's builder runs a Tool step with it; the owner sees the call among every team's.
  const wf = await (
    await builderApi.post("/api/workflows", {
      data: {
        name: "Org tool call",
        graph: {
          nodes: [
            { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
            {
              id: "echo",
              kind: "tool",
              label: "Echo",
              position: { x: 260, y: 0 },
              config: { tool: `${name}__echo`, arguments: [{ name: "message", value: "hello from the team" }] },
            },
            { id: "out", kind: "output", label: "Out", position: { x: 520, y: 0 }, config: { value: "done" } },
          ],
          edges: [
            { id: "e1", source: "start", target: "echo" },
            { id: "e2", source: "echo", target: "out" },
          ],
        },
      },
    })
  ).json();
  const started = await builderApi.post(`/api/workflows/${wf.id}/runs`, { data: { mode: "draft", input: {} } });
  expect(started.status(), await started.text()).toBe(201);
  const { id: runId } = await started.json();
  await expect
    .poll(async () => (await (await builderApi.get(`/api/runs/${runId}`)).json()).status, { timeout: 30_000 })
    .toBe("COMPLETED");
  await page.goto("/organization/tools");
  await page.getByRole("link", { name: "Tool calls of every team" }).click();
  await expect(page.getByRole("heading", { name: "Tool calls of every team", level: 2 })).toBeVisible();
  const call = page.getByRole("row").filter({ hasText: "hello from the team" });
  await expect(call).toContainText(team);
  await expect(call).toContainText(`${name}__echo`);
  await expect(call).toContainText(teamBuilder.email);
  await expect(call).toContainText("ok");
  const filtered = page.waitForResponse(
    (r) => r.url().includes("/api/organization/tool-audit?") && r.url().includes("team="),
  );
  await page.getByLabel("Team", { exact: true }).selectOption({ label: team });
  await filtered;
  await expect(call).toBeVisible();
  const rows = page.getByTestId("audit-row");
  for (const row of await rows.all()) await expect(row.getByRole("cell").first()).toHaveText(team);
  const csv = await (
    await page.request.get((await page.getByRole("link", { name: "Export CSV" }).getAttribute("href"))!)
  ).text();
  expect(csv.split("\n")[0]).toMatch(/^team,time,user,/);
  expect(csv).toContain("hello from the team");
  expect(await audit(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screens/organization-tool-calls.png", fullPage: true });
  // A team's admin who is not an installation owner may not see every team's calls.
  expect((await teamApi.get("/api/organization/tool-audit")).status()).toBe(403);

  // The owner's own team was not granted it.
  const homeApi = await signedInApi(studio.url, homeBuilder);
  expect(await choices(homeApi)).not.toContain(`${name}__echo`);
  await Promise.all([teamApi.dispose(), builderApi.dispose(), homeApi.dispose(), context.close()]);
});
