import { audit } from "./support/axe";
import { briefWorkflow } from "./support/brief-workflow";
import { expect, test } from "./support/fixtures";
import { loopbackLlm } from "./support/loopback-llm";
import { addLoopbackModels } from "./support/loopback-model";
import { signInToHome } from "./support/people";
import { startDraftRun, waitForRunStatus } from "./support/runs-api";

/**
 * Test cases and evaluations, as a builder uses them: a run's "Add to test cases", a CSV file
 * imported (its problems named by row and column first), evaluators chosen (a model judge among
 * them, at a real OpenAI-compatible server on loopback), an evaluation of the draft followed to
 * its end, its grid of cases × evaluators, and a second evaluation compared with the first.
 */
const server = loopbackLlm();

test("a builder collects test cases, evaluates the draft with a judge, and compares two evaluations", async ({
  page,
  admin,
  adminApi,
}) => {
  const llm = server();
  llm.behave("eval-judge-model", { kind: "answer", text: '{"score": 0.8, "reason": "On topic."}' });
  await addLoopbackModels(adminApi, llm.baseUrl, {
    "eval-researcher": "eval-research",
    "eval-writer": "eval-write",
    "eval-judge": "eval-judge-model",
  });
  const wf = await briefWorkflow(adminApi, "Evaluated brief", { research: "eval-researcher", write: "eval-writer" });
  const runId = await startDraftRun(adminApi, wf.id, { topic: "otters" });
  await waitForRunStatus(adminApi, runId, "COMPLETED");

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.goto(`/runs/${runId}`);
  await page.getByRole("button", { name: "Add to test cases" }).click();
  await expect(page.getByRole("status").getByText("Added to the")).toBeVisible();
  await page.getByRole("link", { name: "test cases" }).click();
  await expect(page.getByRole("heading", { name: "Tests of Evaluated brief" })).toBeVisible();
  await expect(page.getByLabel("Expected output of case 1")).toHaveValue("Echo: Write about: Echo: Research otters");
  // A new case's input is written for the Start step's fields, and a missing one is named plainly.
  const newCase = page.getByRole("form", { name: "New test case" });
  await expect(newCase.getByLabel("Input (JSON)")).toHaveValue('{\n  "topic": ""\n}');
  await expect(newCase.getByText("The Start step's fields: topic.")).toBeVisible();
  await newCase.getByRole("button", { name: "Add case" }).click();
  await expect(newCase.getByText("“topic” is required.")).toBeVisible();

  // A file with a row missing its topic is refused whole, naming the row and column.
  const file = page.getByLabel("Import a CSV or JSONL file");
  const csv = (text: string) => ({ name: "cases.csv", mimeType: "text/csv", buffer: Buffer.from(text) });
  await file.setInputFiles(csv("topic,expected\nseals,Research seals\n,whatever\n"));
  await expect(page.getByRole("list", { name: "Problems in the file" })).toContainText("row 3, column “topic”");
  await file.setInputFiles(csv("topic,expected\nseals,Research seals\nwhales,nothing like this\n"));
  await expect(page.getByText("Imported 2 cases.")).toBeVisible();
  // The file's problems were said in the page, and are gone once it is fixed: no toast of them
  // left over (counted now: a waiting assertion would wait for the toast to time out).
  expect(await page.getByText(/row 3, column/).count()).toBe(0);
  await expect(page.getByLabel("Expected output of case 3")).toHaveValue("nothing like this");

  const newEvaluator = page.getByRole("form", { name: "New evaluator" });
  await newEvaluator.getByLabel("Check").selectOption({ label: "Contains the expected output" });
  await newEvaluator.getByRole("button", { name: "Add evaluator" }).click();
  await newEvaluator.getByLabel("Check").selectOption({ label: "A model judges it by the rubric" });
  // The judge is picked from the models this person may use; none picked is said in words.
  await newEvaluator.getByRole("button", { name: "Add evaluator" }).click();
  await expect(newEvaluator.getByText("Pick the model that judges")).toBeVisible();
  await newEvaluator.getByLabel("Judge model").selectOption("demo");
  await expect(newEvaluator.getByText("The built-in demo model only simulates answers and cannot grade")).toBeVisible();
  await newEvaluator.getByLabel("Judge model").selectOption("eval-judge");
  await newEvaluator.getByLabel(/Rubric/).fill("Says something about the topic.");
  await newEvaluator.getByRole("button", { name: "Add evaluator" }).click();
  const evaluators = page.getByRole("list", { name: "Evaluators" });
  await expect(evaluators.getByRole("listitem")).toHaveCount(2);
  // Each form's button is the same size as the others on the page.
  const height = async (name: string) => (await page.getByRole("button", { name }).boundingBox())!.height;
  for (const name of ["Add case", "Add evaluator", "Save review settings", "Save gate"])
    expect(await height(name), name).toBe(await height("Run evaluation"));
  await expect(evaluators).toContainText("A model judges it by the rubric: eval-judge, passes at 0.7");

  const runForm = page.getByRole("form", { name: "Run an evaluation" });
  await runForm.getByLabel("Cases at once").fill("2");
  await runForm.getByRole("button", { name: "Run evaluation" }).click();
  // It starts below the form, and is brought into view.
  await expect(page.getByTestId("evaluation")).toBeInViewport();
  const summary = page.getByTestId("evaluation-summary");
  await expect(summary).toContainText("completed · 2 of 3 passed (67%)", { timeout: 30_000 });
  const grid = page.getByRole("table", { name: "Results by case" });
  const third = grid.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "3", exact: true }) });
  await expect(third).toContainText("✕ failed");
  // Why it failed is written in the page, not only in a tooltip.
  const why = third.getByText("Does not contain “nothing like this”.");
  await expect(why).toBeVisible();
  expect((await why.boundingBox())!.width).toBeGreaterThan(100);
  await expect(third).toContainText("pass 0.80");
  expect(llm.calls("eval-judge-model")).toBe(3);
  await page.screenshot({ path: "test-results/evaluation.png", fullPage: true });
  expect(await audit(page)).toEqual([]);

  // The draft changes how it researches: the second evaluation regresses, and the comparison says where.
  const draft = await (await adminApi.get(`/api/workflows/${wf.id}`)).json();
  draft.graph.nodes.find((n: { id: string }) => n.id === "research").config.instructions =
    "Look up {{nodes.start.output.topic}}";
  const saved = await adminApi.put(`/api/workflows/${wf.id}/draft`, {
    data: { revision: draft.revision, graph: draft.graph },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  await runForm.getByRole("button", { name: "Run evaluation" }).click();
  await expect(summary).toContainText("completed · 0 of 3 passed (0%)", { timeout: 30_000 });
  await page.getByLabel("Compare with").selectOption({ index: 1 });
  const comparison = page.getByTestId("comparison");
  await expect(comparison.getByRole("row", { name: /Pass rate/ })).toContainText("67% (2 of 3)");
  const changed = comparison.getByRole("list", { name: "Cases that changed" });
  await expect(changed.getByRole("listitem")).toHaveCount(3);
  await expect(changed.getByRole("listitem").first()).toContainText("Case 1: passed → failed");
  await expect(changed.getByTestId("compare-diff-1").locator("ins", { hasText: "Look" })).toHaveCount(1);
  await page.screenshot({ path: "test-results/evaluation-compare.png", fullPage: true });
  expect(await audit(page)).toEqual([]);

  // A case typed in: added, and the form is ready for the next one, the keyboard in its first field.
  const input = newCase.getByLabel("Input (JSON)");
  await input.fill('{"topic": "penguins"}');
  await newCase.getByRole("button", { name: "Add case" }).click();
  await expect(page.getByRole("heading", { name: "Test cases (4)" })).toBeVisible();
  await expect(input).toHaveValue('{\n  "topic": ""\n}');
  await expect(input).toBeFocused();
});
