import { expect, test } from "./support/fixtures";
import { audit } from "./support/axe";
import { command, newWorkflowByKeyboard, pickReference, runToCompletion } from "./support/editor-page";
import { signInToHome } from "./support/people";

test("a Transform step reshapes data: its mapping is previewed on the last run as it is typed, and a later step reads its fields", async ({
  page,
  admin,
}) => {
  test.slow(); // two runs, typed previews and an axe audit: near a minute on a loaded two-core machine
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await newWorkflowByKeyboard(page, `Transform ${Date.now()}`);

  await command(page, "Add Transform");
  await page.getByLabel("Name", { exact: true }).fill("Shape");
  const mapping = page.getByLabel("Mapping (JSONata)");
  await mapping.fill('{ "shout": $uppercase(input.input), "letters": $length(input.input) }');
  await command(page, "Connect “Start” to “Shape”");
  await expect(page.getByRole("button", { name: /^Connection from Start to Shape:/ })).toBeVisible();

  // Before any run the preview says so, and shows what the mapping makes of no data.
  const preview = page.getByRole("region", { name: "Preview on the last run" });
  await expect(preview.getByText(/has not run yet/)).toBeVisible();
  await expect(preview.getByLabel("Preview result")).toHaveText("{}");

  // A later step picks the Transform's fields from the reference list.
  await command(page, "Add Output");
  await command(page, "Connect “Shape” to “Output”");
  const result = page.getByLabel("Result");
  await pickReference(page, result, "Loud: {{shout", /output\.shout/);
  await expect(result).toHaveValue(/^Loud: \{\{nodes\.transform_\d+\.output\.shout\}\}$/);
  await expect(page.getByText("All changes saved")).toBeVisible();

  await runToCompletion(page, { input: "kelp forests" });
  await expect(page.getByRole("group", { name: "Shape, Transform step" }).getByText("Done")).toBeVisible();
  await expect(page.getByRole("tabpanel").getByText("Loud: KELP FORESTS").first()).toBeVisible();

  // Back on the step: the preview reads the run's data, and follows the mapping as it changes.
  await page.getByRole("group", { name: "Shape, Transform step" }).click();
  await mapping.fill('{ "shout": $uppercase(input.input), "words": $count($split(input.input, " ")) }');
  await expect(preview.getByText(/^Data of the run of .* \(completed\)\.$/)).toBeVisible();
  await expect(preview.getByLabel("Preview result")).toContainText('"shout": "KELP FORESTS"');
  await expect(preview.getByLabel("Preview result")).toContainText('"words": 2');

  // A mapping that cannot work says why, in the preview and as a problem of the step.
  await mapping.fill("$number(input.input)");
  await expect(preview.getByText(/✕ .*number/i)).toBeVisible();
  await mapping.fill("{ ");
  await expect(page.getByText('Expected ":" before end of expression')).toHaveCount(2); // under the field, and in the preview
  await expect(page.getByRole("group", { name: "Shape, Transform step" }).getByText("1")).toBeVisible(); // one problem
  await mapping.fill('{ "shout": $uppercase(input.input) }');
  await expect(preview.getByLabel("Preview result")).toContainText('"shout": "KELP FORESTS"');

  await page.screenshot({ path: "test-results/transform-preview.png" });
  expect(await audit(page)).toEqual([]);
});
