import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "./support/fixtures";
import { addMember, signedInApi, signInToHome } from "./support/people";
import { allowOwnProviders } from "./support/loopback-model";

/**
 * Issue #15 in the browser: stdio tool servers are the installation owners' (the first admin,
 * and whom they name on the Members page); a server that prints the studio's environment shows
 * a short reason and no secret; a provider moved to a new address needs its key again.
 */
const stdioServer = (name: string, args: string[]) => ({
  name,
  transport: "STDIO",
  command: process.execPath,
  args,
  env: [],
  url: "",
  headers: [],
  enabled: true,
});

test("only installation owners add stdio servers; the owner names another on the Members page", async ({
  page,
  admin,
  adminApi,
  studio,
}) => {
  const other = await addMember(adminApi, "ADMIN", "otheradmin");
  const otherApi = await signedInApi(studio.url, other);
  const refused = await otherApi.post("/api/admin/mcp/servers", { data: stdioServer("sneaky", ["-e", "1"]) });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toContain("Only installation owners may add a stdio (command) server");
  const url = await otherApi.post("/api/admin/mcp/servers", {
    data: { ...stdioServer("by-url", []), transport: "HTTP", command: "", url: "http://127.0.0.1:9/mcp" },
  });
  expect(url.status(), await url.text()).toBe(201);

  await signInToHome(page, admin);
  await page.goto("/admin/members");
  const owners = page.getByTestId("installation-owners");
  await expect(owners).toContainText("You are one.");
  await owners.getByLabel(`${other.name} is an installation owner`).check();
  await expect(owners.getByLabel(`${other.name} is an installation owner`)).toBeChecked();
  await page.screenshot({ path: "test-results/screens/installation-owners.png", fullPage: true });
  await expect
    .poll(async () =>
      (await otherApi.post("/api/admin/mcp/servers", { data: stdioServer("named", ["-e", "1"]) })).status(),
    )
    .toBe(201);
  await otherApi.dispose();
});

test("Test on a server that prints the studio's environment shows a short reason and no secret", async ({
  page,
  admin,
  adminApi,
  studio,
}) => {
  const folder = mkdtempSync(path.join(tmpdir(), "flowdeck-e2e-env-"));
  const script = path.join(folder, "print-env.js");
  writeFileSync(
    script,
    `const fs = require("node:fs");
let parent = "";
try { parent = fs.readFileSync("/proc/" + process.ppid + "/environ", "utf8"); } catch {}
process.stderr.write(JSON.stringify(process.env) + "\\n" + parent + "\\n");
process.exit(3);
`,
  );
  await signInToHome(page, admin);
  await page.goto("/admin/tools");
  await page.getByRole("button", { name: "Add server" }).click();
  const dialog = page.getByTestId("server-dialog");
  await dialog.getByLabel("Name").fill("printer");
  await dialog.getByLabel("Command").fill(process.execPath);
  await dialog.getByLabel("Arguments").fill(script);
  await dialog.getByRole("button", { name: "Add server" }).click();
  const card = page.getByTestId("server-card").filter({ hasText: "printer" });
  await card.getByRole("button", { name: "Test and discover" }).click();
  const result = card.getByTestId("server-test-result");
  await expect(result).toContainText("MCP server “printer” is not available");
  await expect(result).toContainText("the process exited with code 3; what it printed is in the server log");
  expect((await result.textContent())!.length).toBeLessThan(400);
  await page.screenshot({ path: "test-results/screens/stdio-test-reason.png", fullPage: true });

  const shown = [await page.content(), await (await adminApi.get("/api/admin/mcp/servers")).text()].join("\n");
  const secrets = [studio.env.FLOWDECK_SECRET!, ...(studio.env.DATABASE_URL ? [studio.env.DATABASE_URL] : [])];
  for (const secret of secrets) expect(shown).not.toContain(secret);
});

test("a provider moved to a new address needs its key again; the form says so", async ({ page, admin, adminApi }) => {
  await allowOwnProviders(adminApi);
  const created = await adminApi.post("/api/admin/gateway/providers", {
    data: { name: "Box", kind: "OPENAI_COMPATIBLE", baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-box-key-5150" },
  });
  expect(created.status(), await created.text()).toBe(201);
  await signInToHome(page, admin);
  await page.goto("/admin/models");
  const card = page.getByTestId("provider-card").filter({ hasText: "Box" });
  await card.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByTestId("provider-dialog");
  await expect(dialog.getByLabel("API key")).toHaveAttribute("placeholder", "Stored (…5150); leave empty to keep it");
  await dialog.getByLabel("Base URL").fill("http://127.0.0.1:9/v2"); // same host: the key stays
  await expect(dialog).not.toContainText("The address changed");
  await dialog.getByLabel("Base URL").fill("http://collector.example:8080/v1");
  await expect(dialog).toContainText("The address changed: enter the key again.");
  await dialog.getByRole("button", { name: "Save provider" }).click();
  await expect(dialog).toContainText("enter the key again for the new address");
  await expect(dialog.getByLabel("API key")).toHaveAttribute("aria-invalid", "true");
  await page.screenshot({ path: "test-results/screens/provider-key-again.png" });
  const stored = (await (await adminApi.get("/api/admin/gateway/providers")).json()).providers;
  expect(stored.find((p: { name: string }) => p.name === "Box").baseUrl).toBe("http://127.0.0.1:9/v1");

  await dialog.getByLabel("API key").fill("sk-new-key-6061");
  await dialog.getByRole("button", { name: "Save provider" }).click();
  await expect(dialog).toBeHidden();
  await expect(card).toContainText("http://collector.example:8080/v1");
  await expect(card.getByTestId("provider-key-hint")).toHaveText("…6061");
});
