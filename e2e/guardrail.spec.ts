import { expect, test } from "./support/fixtures";
import { audit } from "./support/axe";
import { command, newWorkflowByKeyboard, pickReference, runToCompletion } from "./support/editor-page";
import { signInToHome } from "./support/people";

test("a Guardrail step finds personal data and blocked words: it redacts them and goes on, or takes the fail branch naming what it found", async ({
  page,
  admin,
}) => {
  test.slow(); // the editor and two runs
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await newWorkflowByKeyboard(page, `Guardrail ${Date.now()}`);

  await command(page, "Add Guardrail");
  await page.getByLabel("Name", { exact: true }).fill("Screen");
  await command(page, "Connect “Start” to “Screen”");
  await pickReference(page, page.getByLabel("What to check"), "{{", /start\.output\.input/);
  const kinds = page.getByRole("group", { name: "Personal data to look for" });
  await expect(kinds.getByLabel("Email addresses")).toBeChecked();
  await expect(kinds.getByLabel("Payment card numbers (Luhn-checked)")).toBeChecked();
  await expect(kinds.getByLabel("IP addresses")).not.toBeChecked();
  const words = page.getByLabel("Blocked words and phrases");
  await words.fill("refund");
  await words.press("Enter");
  await page
    .getByLabel("When a check fails")
    .selectOption({ label: "Redact and continue (personal data, blocked words, patterns)" });

  await command(page, "Add Output");
  await page.getByLabel("Name", { exact: true }).fill("Safe");
  await command(page, "Connect “Screen” (pass) to “Safe”");
  await pickReference(page, page.getByLabel("Result"), "Safe: {{", /guardrail_\d+\.output\.text/);
  // Only "pass" is connected: the Guardrail says where a failed check would go (nowhere).
  await page.getByRole("group", { name: "Screen, Guardrail step" }).click();
  await expect(page.getByTestId("inspector")).toContainText(
    "Nothing is connected to “fail”: when this step goes that way, this branch ends there and nothing after it runs.",
  );
  await command(page, "Add Output");
  await page.getByLabel("Name", { exact: true }).fill("Stopped");
  await command(page, "Connect “Screen” (fail) to “Stopped”");
  await pickReference(page, page.getByLabel("Result"), "Stopped: {{", /guardrail_\d+\.output\.reason/);
  await expect(page.getByRole("button", { name: /^Connection from Screen \(fail\) to Stopped:/ })).toBeVisible();
  await page.getByRole("group", { name: "Screen, Guardrail step" }).click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Screen");
  await expect(page.getByTestId("open-outputs")).toHaveCount(0);
  await expect(page.getByText("All changes saved")).toBeVisible();

  await runToCompletion(page, { input: "Mail jo@example.com or card 4242 4242 4242 4242 about a Refund" });
  const panel = page.getByRole("tabpanel");
  await expect(panel.getByText("Safe: Mail [email] or card [card] about a [blocked]").first()).toBeVisible();
  const stepEntry = (name: string) => page.getByTestId(/^run-step-/).filter({ hasText: name });
  await expect(stepEntry("Stopped")).toContainText("skipped");

  // Taking the fail branch instead: the reason names what was found, not the values.
  await page.getByRole("group", { name: "Screen, Guardrail step" }).click();
  await page.getByLabel("When a check fails").selectOption({ label: "Take the fail branch" });
  await expect(page.getByText("All changes saved")).toBeVisible();
  await page.screenshot({ path: "test-results/guardrail-editor.png" });
  expect(await audit(page)).toEqual([]);
  await runToCompletion(page, { input: "Call +1 415-555-0132 for a refund" });
  await expect(page.getByRole("tabpanel").getByText("Stopped: phone (1); blocked words (1)").first()).toBeVisible();
  await expect(stepEntry("Safe")).toContainText("skipped");
  await page.screenshot({ path: "test-results/guardrail-run.png" });
});
