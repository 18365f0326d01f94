import { expect, test } from "./support/fixtures";
import { audit } from "./support/axe";
import { allowPrivateHost } from "./support/destinations-page";
import { command, newWorkflowByKeyboard, pickReference, runToCompletion } from "./support/editor-page";
import { signInToHome } from "./support/people";

test("an HTTP Request step reaches only hosts an admin allowed, with a secret in its headers that the run never shows", async ({
  page,
  studio,
  admin,
  adminApi,
}) => {
  test.slow(); // two pages, the editor and two runs
  const suffix = Date.now().toString(36);
  const secret = `sk-test-${suffix}-hidden`;
  const host = new URL(studio.url).host; // the studio itself, on loopback: a private address
  expect(
    (
      await adminApi.post("/api/admin/variables", {
        data: { name: `status_key_${suffix}`, value: secret, secret: true },
      })
    ).status(),
  ).toBe(201);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);

  // Nothing is allowed until an admin says so; loopback needs its own tick.
  await page.goto("/admin/variables");
  await page.getByRole("link", { name: "HTTP destinations" }).click();
  await expect(page.getByRole("heading", { name: "HTTP destinations", level: 1 })).toBeVisible();
  await expect(page.getByText("None: HTTP Request steps of this workspace cannot reach anything yet.")).toBeVisible();
  await page.getByRole("textbox", { name: "Host" }).fill("https://bad.example.com/path");
  await page.getByRole("button", { name: "Allow host" }).click();
  await expect(page.getByText(/scheme|path/i).first()).toBeVisible();
  // A loopback address without the tick would refuse every request: said before it is allowed.
  await page.getByRole("textbox", { name: "Host" }).fill(host);
  await page.getByRole("button", { name: "Allow host" }).click();
  await expect(page.getByText("127.0.0.1 is a private or loopback address: also tick")).toBeVisible();
  await expect(page.getByRole("region", { name: "Allowed hosts" }).getByRole("listitem")).toHaveCount(0);
  await allowPrivateHost(page, host);
  await page.screenshot({ path: "test-results/http-destinations.png", fullPage: true });
  expect(await audit(page)).toEqual([]);

  await newWorkflowByKeyboard(page, `HTTP ${suffix}`);
  await command(page, "Add HTTP Request");
  await page.getByLabel("Name", { exact: true }).fill("Check");
  // The step says where its hosts are allowed, and leads there.
  await expect(page.getByRole("link", { name: "HTTP destinations" })).toHaveAttribute("href", "/admin/destinations");
  await page.getByLabel("URL").fill(`http://${host}/api/health`);
  await page.getByRole("button", { name: "+ Add header" }).click();
  await page.getByLabel("Header", { exact: true }).fill("Authorization");
  // The secret is offered by name in this step.
  await pickReference(
    page,
    page.getByLabel("Value"),
    "Bearer {{status_key",
    new RegExp(`secrets\\.status_key_${suffix}`),
  );
  await expect(page.getByLabel("Value")).toHaveValue(`Bearer {{secrets.status_key_${suffix}}}`);
  await command(page, "Connect “Start” to “Check”");
  await command(page, "Add Output");
  await command(page, "Connect “Check” to “Output”");
  await pickReference(page, page.getByLabel("Result"), "Health: {{status", /output\.status/);
  await expect(page.getByText("All changes saved")).toBeVisible();

  await runToCompletion(page, { input: "x" });
  await expect(page.getByRole("tabpanel").getByText("Health: 200").first()).toBeVisible();

  // The run's page shows the request as sent, the secret by name only.
  await page.getByRole("tabpanel").getByRole("link", { name: "Open run page" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  const runPath = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "Check", exact: true }).click();
  await expect(page.getByTestId("step-input")).toContainText(`Bearer [secret:status_key_${suffix}]`);
  expect(await page.content()).not.toContain(secret);
  await page.screenshot({ path: "test-results/http-run.png", fullPage: true });

  // A host nobody allowed is refused, and the step says why.
  await page.goBack();
  await page.getByRole("group", { name: "Check, HTTP Request step" }).click();
  await page.getByLabel("URL").fill("http://example.invalid/x");
  await expect(page.getByText("All changes saved")).toBeVisible();
  await command(page, "Run the workflow");
  const dialog = page.getByRole("dialog", { name: "Run this workflow" });
  await dialog.getByLabel("input").fill("x");
  await dialog.getByRole("button", { name: "Start run" }).click();
  await expect(
    page
      .getByRole("tabpanel")
      .getByText(/example\.invalid(:80)? is not an allowed destination of this workspace/)
      .first(),
  ).toBeVisible({ timeout: 20_000 });

  // Every request is in the workspace's audit log, reached from HTTP destinations: who, what, to where; no secret.
  await page.goto("/admin/destinations");
  await page.getByRole("link", { name: "audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await expect(page.getByLabel("About")).toHaveValue("http");
  const entries = page.getByRole("table", { name: "Audit log entries" }).getByTestId("audit-log-row");
  // This run's request (other tests of this studio send theirs too): found by the link to its run.
  const ours = entries.filter({ has: page.locator(`a[href="${runPath}"]`) });
  await expect(ours).toHaveCount(1);
  await expect(ours).toContainText("sent an HTTP request from a run");
  await expect(ours).toContainText(`url: http://${host}/api/health`);
  await expect(ours).toContainText("status: 200");
  await expect(entries.filter({ hasText: "url: http://example.invalid/x" }).first()).toContainText("outcome: refused");
  expect(await page.content()).not.toContain(secret);
  await page.screenshot({ path: "test-results/audit-log.png", fullPage: true });
  expect(await audit(page)).toEqual([]);
  // The changes behind it, under their own topic.
  await page.getByLabel("About").selectOption({ label: "Keys, secrets and HTTP destinations" });
  await expect(
    entries
      .filter({ hasText: "allowed an HTTP destination" })
      .filter({ hasText: `pattern: ${host}` })
      .first(),
  ).toBeVisible();
  await expect(
    entries.filter({ hasText: "added a secret" }).filter({ hasText: `name: status_key_${suffix}` }),
  ).toHaveCount(1);
  await expect(entries.filter({ hasText: "sent an HTTP request" })).toHaveCount(0);
  await page.getByLabel("About").selectOption({ label: "HTTP requests sent by workflows" });
  await ours.getByRole("link", { name: "sent an HTTP request from a run" }).click();
  await expect(page).toHaveURL(new RegExp(`${runPath}$`));
});
