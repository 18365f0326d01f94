import { expect, test } from "./support/fixtures";
import { audit } from "./support/axe";
import { command, newWorkflowByKeyboard, pickReference, runToCompletion } from "./support/editor-page";
import { signInToHome } from "./support/people";

test("a Code step runs JavaScript in the sandbox: previewed as it is typed, its fields offered to later steps, its console shown with the run", async ({
  page,
  admin,
}) => {
  test.slow(); // the editor, a run, previews in the sandbox and the run page
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await newWorkflowByKeyboard(page, `Code ${Date.now()}`);

  await command(page, "Add Code");
  await page.getByLabel("Name", { exact: true }).fill("Count");
  const code = page.getByLabel("JavaScript");
  await code.fill(
    [
      'const words = input.input.split(" ");',
      'console.log("counted", words.length, "words");',
      "return { words: words.length, shout: input.input.toUpperCase() };",
    ].join("\n"),
  );
  await command(page, "Connect “Start” to “Count”");
  await expect(page.getByRole("button", { name: /^Connection from Start to Count:/ })).toBeVisible();

  // Before any run there is no input: the preview says so, and shows the code's error and line.
  const preview = page.getByRole("region", { name: "Preview on the last run" });
  await expect(preview.getByText(/has not run yet/)).toBeVisible();
  await expect(preview.getByText("✕ TypeError: cannot read property 'split' of undefined (line 1)")).toBeVisible();

  // A later step picks the fields the code returns from the reference list.
  await command(page, "Add Output");
  await command(page, "Connect “Count” to “Output”");
  const result = page.getByLabel("Result");
  await pickReference(page, result, "Words: {{words", /output\.words/);
  await expect(result).toHaveValue(/^Words: \{\{nodes\.code_\d+\.output\.words\}\}$/);
  await expect(page.getByText("All changes saved")).toBeVisible();

  await runToCompletion(page, { input: "kelp forests grow" });
  const panel = page.getByRole("tabpanel");
  await expect(page.getByRole("group", { name: "Count, Code step" }).getByText("Done")).toBeVisible();
  await expect(panel.getByText("Words: 3").first()).toBeVisible();
  await expect(panel.getByLabel("Console of Count")).toHaveText("counted 3 words");

  // Back on the step: the preview runs the code on the run's data, console included.
  await page.getByRole("group", { name: "Count, Code step" }).click();
  await expect(preview.getByText(/^Data of the run of .* \(completed\)\.$/)).toBeVisible();
  await expect(preview.getByLabel("Preview result")).toContainText('"shout": "KELP FORESTS GROW"');
  await expect(preview.getByLabel("Preview console")).toHaveText("counted 3 words");

  // The sandbox has no host, and code that never ends is stopped at its limit.
  await code.fill("return typeof process + ' ' + typeof require + ' ' + typeof fetch");
  await expect(preview.getByLabel("Preview result")).toHaveText('"undefined undefined undefined"');
  await page.getByLabel("Code time limit (seconds)").fill("0.5");
  await code.fill("while (true) {}");
  await expect(preview.getByText("✕ Stopped: the code ran past its time limit of 0.5 s")).toBeVisible();
  await page.screenshot({ path: "test-results/code-preview.png" });
  expect(await audit(page)).toEqual([]);

  // The run's own page shows the step's console beside its output.
  await page.getByRole("tab", { name: "Run" }).click();
  await page.getByRole("tabpanel").getByRole("link", { name: "Open run page" }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  await page.getByRole("button", { name: "Count", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Console (1 line)" })).toBeVisible();
  await expect(page.getByText("counted 3 words")).toBeVisible();
  await page.screenshot({ path: "test-results/code-run.png", fullPage: true });
});
