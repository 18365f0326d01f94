import { expect, test } from "./support/fixtures";
import { EditorPage } from "./support/editor-page";
import { signInToHome } from "./support/people";
import { RunPage } from "./support/run-page";
import { startDraftRun, waitForRunStatus } from "./support/runs-api";

test("a run's page shows what each step read: a Loop's list and its failed item, a Code step's data, a Guardrail's checked text", async ({
  page,
  admin,
  adminApi,
}) => {
  const node = (id: string, kind: string, config: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    id,
    kind,
    label: id,
    position: { x: 0, y: 0 },
    config,
    ...extra,
  });
  const graph = {
    nodes: [
      node(
        "start",
        "start",
        { fields: [{ name: "list", type: "json", required: true, description: "" }] },
        { position: { x: 0, y: 0 } },
      ),
      node(
        "each",
        "loop",
        {
          items: "{{nodes.start.output.list}}",
          itemInput: "item",
          inputs: [],
          concurrency: 1,
          onItemFailure: "collect",
          maxItems: 100,
        },
        { position: { x: 300, y: 0 }, size: { width: 700, height: 400 } },
      ),
      node(
        "double",
        "code",
        {
          code: 'if (nodes.each.output.item === 2) throw new Error("two is not allowed");\nreturn nodes.each.output.item * 2;',
        },
        { parentId: "each", position: { x: 24, y: 140 } },
      ),
      node("kept", "output", { value: "{{nodes.double.output}}" }, { parentId: "each", position: { x: 360, y: 140 } }),
      node(
        "check",
        "guardrail",
        { value: "Results: {{nodes.each.output.count}}", pii: ["email"], onFail: "fail" },
        { position: { x: 1100, y: 0 } },
      ),
      node("out", "output", { value: "{{nodes.check.output.text}}" }, { position: { x: 1400, y: 0 } }),
    ],
    edges: [
      { id: "e1", source: "start", target: "each" },
      { id: "e2", source: "double", target: "kept" },
      { id: "e3", source: "each", target: "check" },
      { id: "e4", source: "check", target: "out", sourceHandle: "pass" },
    ],
  };
  const { id } = await (
    await adminApi.post("/api/workflows", { data: { name: `What steps read ${Date.now()}` } })
  ).json();
  const saved = await adminApi.put(`/api/workflows/${id}/draft`, { data: { graph, revision: 1 } });
  expect(saved.status(), await saved.text()).toBe(200);
  const runId = await startDraftRun(adminApi, id, { list: [1, 2, 3] });
  await waitForRunStatus(adminApi, runId, "COMPLETED", 30_000);

  await signInToHome(page, admin);
  const run = new RunPage(page);
  await run.open(runId, "each");
  const loop = run.stepDetail("each");
  await expect(loop.getByTestId("step-input")).toContainText('"items"');
  await expect(loop.getByRole("link", { name: "Item 2: failed" })).toBeVisible();
  await expect(loop.getByRole("link", { name: "Item 1", exact: true })).toBeVisible();
  await run.openStep("check");
  await expect(run.stepDetail("check").getByTestId("step-input")).toContainText("Results: 3");
  await expect(run.stepDetail("check").getByTestId("step-input")).not.toContainText("{{");
  await page.screenshot({ path: "test-results/screens/run-loop-items.png" });

  // An item's own run: its Code step's input is the data it read.
  await loop.getByRole("link", { name: "Item 1", exact: true }).click();
  await run.openStep("double");
  await expect(run.stepDetail("double").getByTestId("step-input")).toContainText('"item": 1');

  // In the editor, the Code step inside the Loop previews on the Loop's first item, not on the outer run.
  const editor = new EditorPage(page);
  await editor.open(id);
  await editor.select("double");
  await expect(page.getByText(/^Data of item 1 of the run of/)).toBeVisible();
  await expect(page.getByLabel("Preview result")).toHaveText("2");
});
