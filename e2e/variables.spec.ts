import { expect, test } from "./support/fixtures";
import { audit } from "./support/axe";
import { command, newWorkflowByKeyboard, pickReference, runToCompletion } from "./support/editor-page";
import { addMember, signInToHome } from "./support/people";

test("an admin keeps variables and secrets; a step uses a variable by autocomplete; a secret is never shown again", async ({
  page,
  browser,
  admin,
  adminApi,
}) => {
  test.slow(); // two people, three pages and a run
  const suffix = Date.now().toString(36);
  const secretValue = `sk-live-${suffix}-do-not-show`;
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Workflows" }).click();
  await page.getByRole("link", { name: "variables and secrets" }).click();
  await expect(page.getByRole("heading", { name: "Variables and secrets", level: 1 })).toBeVisible();

  const form = page.getByRole("region", { name: "Add a variable or secret" });
  await form.getByLabel("Name").fill(`region_${suffix}`);
  await form.getByLabel("Value").fill("eu-west");
  await form.getByRole("button", { name: "Save variable" }).click();
  await expect(page.getByText(`Saved variable “region_${suffix}”.`)).toBeVisible();

  await form.getByLabel("Secret: an API key or password").check();
  await form.getByLabel("Name").fill(`billing_key_${suffix}`);
  await expect(form.getByLabel("Value")).toHaveAttribute("type", "password");
  await form.getByLabel("Value").fill(secretValue);
  await form.getByRole("button", { name: "Save secret" }).click();
  await expect(page.getByText(`Saved secret “billing_key_${suffix}”.`)).toBeVisible();

  // A name taken is said next to the field.
  await form.getByLabel("Name").fill(`region_${suffix}`);
  await form.getByLabel("Value").fill("again");
  await form.getByRole("button", { name: "Save variable" }).click();
  await expect(form.getByText("Taken: pick another name, or change the existing one")).toBeVisible();

  const table = page.getByRole("table");
  const secretRow = table.getByRole("row").filter({ hasText: `billing_key_${suffix}` });
  await expect(secretRow.getByRole("cell", { name: "Secret", exact: true })).toBeVisible();
  await expect(secretRow.getByLabel("hidden, ending in …show")).toBeVisible();
  await expect(secretRow.getByText(`{{secrets.billing_key_${suffix}}}`)).toBeVisible();
  expect(await page.content()).not.toContain(secretValue);
  await page.screenshot({ path: "test-results/variables.png", fullPage: true });
  expect(await audit(page)).toEqual([]);

  // Rotating asks for the new value only.
  await secretRow.getByRole("button", { name: `Rotate billing_key_${suffix}` }).click();
  const dialog = page.getByRole("dialog", { name: `Rotate “billing_key_${suffix}”` });
  await expect(dialog.getByLabel("New value")).toHaveValue("");
  await dialog.getByLabel("New value").fill(`${secretValue}-2`);
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(secretRow.getByLabel("hidden, ending in …ow-2")).toBeVisible();

  // The API never answers the value either.
  const listed = await (await adminApi.get("/api/variables")).text();
  expect(listed).toContain(`billing_key_${suffix}`);
  expect(listed).not.toContain(secretValue);

  // A builder uses the variable in a step, picked from the references offered.
  await newWorkflowByKeyboard(page, `Variables ${suffix}`);
  await command(page, "Add Output");
  await command(page, "Connect “Start” to “Output”");
  const result = page.getByLabel("Result");
  await pickReference(page, result, "Region: {{region", new RegExp(`vars\\.region_${suffix}`));
  await expect(result).toHaveValue(`Region: {{vars.region_${suffix}}}`);
  // Secrets are not offered outside an HTTP Request step, and a secret typed there is a problem.
  await result.fill(`Key: {{billing_key_${suffix}`);
  await expect(page.getByRole("listbox", { name: "References" }).getByRole("option")).toHaveCount(0);
  await result.fill(`Key: {{secrets.billing_key_${suffix}}}`);
  await expect(page.getByText(/a secret can be used only in an HTTP Request step/).first()).toBeVisible();
  await result.fill(`Region: {{vars.region_${suffix}}}`);
  await expect(page.getByText("All changes saved")).toBeVisible();
  await runToCompletion(page, { input: "x" });
  await expect(page.getByRole("tabpanel").getByText("Region: eu-west").first()).toBeVisible();

  // A builder sees names and variables' values, and no way to change them.
  const builder = await addMember(adminApi, "BUILDER");
  const context = await browser.newContext();
  const builderPage = await context.newPage();
  await signInToHome(builderPage, builder);
  await builderPage.goto("/admin/variables");
  await expect(builderPage.getByRole("cell", { name: `region_${suffix}`, exact: true })).toBeVisible();
  await expect(builderPage.getByText("Only admins add or change them.")).toBeVisible();
  await expect(builderPage.getByRole("region", { name: "Add a variable or secret" })).toHaveCount(0);
  await expect(builderPage.getByRole("button", { name: /Rotate|Delete|Change/ })).toHaveCount(0);
  await context.close();
});
