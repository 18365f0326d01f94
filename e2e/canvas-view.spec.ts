import { expect, test } from "./support/fixtures";
import { command, EditorPage, runToCompletion } from "./support/editor-page";
import { signInToHome } from "./support/people";
import type { WorkflowGraph } from "../lib/schemas/workflow";

/** A Start, `steps` Transforms and an Output in one row, wider than the canvas of a laptop's screen. */
function wideRow(steps: number): WorkflowGraph {
  const nodes: WorkflowGraph["nodes"] = [
    { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
  ];
  for (let i = 1; i <= steps; i += 1)
    nodes.push({
      id: `t${i}`,
      kind: "transform",
      label: `Step ${i}`,
      position: { x: i * 320, y: 0 },
      config: { expression: `{ "step": ${i} }` },
    });
  nodes.push({
    id: "out",
    kind: "output",
    label: "Result",
    position: { x: (steps + 1) * 320, y: 0 },
    config: { value: "done" },
  });
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id }));
  return { nodes, edges };
}

test("a workflow wider than the canvas opens at its Start, readable; Auto-layout keeps the Start in view; zoomed to fit, steps keep their names and run marks", async ({
  page,
  admin,
  adminApi,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInToHome(page, admin);
  const created = await adminApi.post("/api/workflows", { data: { name: `Wide ${Date.now()}`, graph: wideRow(9) } });
  expect(created.ok()).toBe(true);
  const { id } = (await created.json()) as { id: string };
  const editor = new EditorPage(page);
  await editor.open(id);

  // The Start is in view (not cut off at the canvas's edge), its name readable, the next steps beside it.
  const start = page.getByRole("group", { name: "Start, Start step" });
  await expect(start).toBeInViewport({ ratio: 0.95 });
  await expect(page.getByRole("group", { name: "Step 1, Transform step" })).toBeInViewport({ ratio: 0.95 });
  await page.screenshot({ path: "test-results/canvas-opens-at-start.png" });

  await page.getByRole("button", { name: "Auto-layout" }).click();
  await expect(start).toBeInViewport({ ratio: 0.95 });
  await editor.saved();

  // Run it, then see all of it at once: every step far out, still named, its outcome marked.
  await runToCompletion(page, {});
  await expect(page.getByRole("button", { name: "Run again" })).toBeInViewport({ ratio: 1 });
  await expect(page.getByRole("link", { name: "Open run page" })).toBeInViewport({ ratio: 1 });
  await page.getByRole("button", { name: "fit view" }).click();
  const last = editor.node("out");
  await expect(last).toBeInViewport();
  await expect(last).toContainText("Result");
  await expect(last).toHaveAttribute("data-run-status", "done");
  await expect(last.getByTitle("Done")).toHaveText("✓");
  await expect(editor.node("t5")).toContainText("Step 5");
  await page.screenshot({ path: "test-results/canvas-fit-far-out.png" });
});

test("a failed run's actions all fit in the side panel, beside its status", async ({ page, admin, adminApi }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInToHome(page, admin);
  const graph = wideRow(1);
  graph.nodes[1]!.config = { expression: '$error("the order has no lines")' };
  const created = await adminApi.post("/api/workflows", { data: { name: `Failing ${Date.now()}`, graph } });
  const { id } = (await created.json()) as { id: string };
  await new EditorPage(page).open(id);

  await command(page, "Run the workflow");
  await page.getByRole("dialog", { name: "Run this workflow" }).getByRole("button", { name: "Start run" }).click();
  const panel = page.getByRole("tabpanel");
  await expect(panel.getByTestId("run-status")).toHaveText("failed", { timeout: 20_000 });
  for (const action of [
    panel.getByRole("link", { name: "Open run page" }),
    panel.getByRole("button", { name: "Retry from failed step" }),
    panel.getByRole("button", { name: "Run again" }),
  ])
    await expect(action).toBeInViewport({ ratio: 1 });
  await page.screenshot({ path: "test-results/canvas-failed-run-actions.png" });
});
