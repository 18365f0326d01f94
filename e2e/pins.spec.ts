import { audit } from "./support/axe";
import { briefWorkflow } from "./support/brief-workflow";
import { EditorPage } from "./support/editor-page";
import { expect, test } from "./support/fixtures";
import { loopbackLlm } from "./support/loopback-llm";
import { addLoopbackModels } from "./support/loopback-model";
import { signInToHome } from "./support/people";
import { RunPanel } from "./support/run-panel";
import { startDraftRun, waitForRunStatus } from "./support/runs-api";

/**
 * Pinned outputs, as a builder uses them in the editor: pin a step's output from the last run
 * (or type one), see it marked on the canvas, and test runs use it without calling the step's
 * model (counted at a real OpenAI-compatible server on loopback); published runs ignore pins.
 */
const server = loopbackLlm();

test("a builder pins a step's output: test runs use it and skip its model, a published run does not", async ({
  page,
  admin,
  adminApi,
}) => {
  const llm = server();
  llm.behave("pin-research", { kind: "answer", text: "Otters eat urchins." });
  await addLoopbackModels(adminApi, llm.baseUrl, { "pin-researcher": "pin-research", "pin-writer": "pin-write" });
  const wf = await briefWorkflow(adminApi, "Pinned brief", { research: "pin-researcher", write: "pin-writer" });
  await waitForRunStatus(adminApi, await startDraftRun(adminApi, wf.id, { topic: "otters" }), "COMPLETED");
  expect(llm.calls("pin-research")).toBe(1);

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  const editor = new EditorPage(page);
  await editor.open(wf.id);
  await editor.select("research");
  const pin = page.getByRole("region", { name: "Pinned output" });
  await expect(pin.getByText("Published runs always run it.")).toBeVisible();
  await pin.getByRole("button", { name: "Pin the last run’s output" }).click();
  await expect(pin.getByLabel("Pinned output of Research")).toContainText("Otters eat urchins.");
  await expect(pin.getByText(/Pinned by .* from a run\./)).toBeVisible();
  await expect(editor.node("research").getByText("Pinned", { exact: true })).toBeVisible();

  // A typed pin replaces it; a broken one is refused at the field.
  await pin.getByRole("button", { name: "Edit the pin" }).click();
  const typed = pin.getByLabel("Output to pin (JSON)");
  await typed.fill('{"text": "Pinned: seals sleep');
  await pin.getByRole("button", { name: "Pin", exact: true }).click();
  await expect(pin.getByText("Not valid JSON: check the quotes, commas and brackets.")).toBeVisible();
  await typed.fill('{"text": "Pinned: seals sleep in water."}');
  await pin.getByRole("button", { name: "Pin", exact: true }).click();
  await expect(pin.getByLabel("Pinned output of Research")).toContainText("Pinned: seals sleep in water.");
  await page.screenshot({ path: "test-results/pinned-step.png" });
  expect(await audit(page)).toEqual([]);

  // A test run from the editor uses the pin: Research's model is not called.
  const runs = new RunPanel(page);
  await runs.start({ topic: "otters" });
  await runs.expectStatus("completed", { timeout: 20_000 });
  await expect(runs.output()).toContainText("Echo: Write about: Pinned: seals sleep in water.");
  expect(llm.calls("pin-research")).toBe(1);
  await runs.openRunPage();
  await expect(page.getByTestId("timeline-research")).toContainText("pinned output");
  // The Start comes first in the timeline, though the pin answered before it ran.
  const rows = await page.locator('[data-testid^="timeline-"]').evaluateAll((els) => els.map((e) => e.dataset.testid));
  expect(rows.indexOf("timeline-start")).toBe(0);
  expect(rows.indexOf("timeline-research")).toBeGreaterThan(0);

  // Published, the workflow runs Research for real.
  const published = await adminApi.post(`/api/workflows/${wf.id}/versions`, {
    data: { revision: (await (await adminApi.get(`/api/workflows/${wf.id}`)).json()).revision, note: "" },
  });
  expect(published.status(), await published.text()).toBe(201);
  const live = await adminApi.post(`/api/workflows/${wf.id}/runs`, { data: { input: { topic: "otters" } } });
  await waitForRunStatus(adminApi, (await live.json()).id, "COMPLETED");
  expect(llm.calls("pin-research")).toBe(2);

  // Unpinned, the mark goes and test runs call the model again.
  await editor.open(wf.id);
  await editor.select("research");
  await pin.getByRole("button", { name: "Unpin" }).click();
  await expect(pin.getByText("Pin an output so test runs do not run “Research” again")).toBeVisible();
  await expect(editor.node("research").getByText("Pinned", { exact: true })).toHaveCount(0);
});
