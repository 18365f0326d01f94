import type { Page } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { bigGraph } from "./support/big-graph";
import { signInToHome } from "./support/people";

/**
 * A workflow of 500 steps opens quickly because the canvas draws only the steps in view
 * (`onlyRenderVisibleElements`), and, with each step's size and handles estimated until it is
 * drawn (lib/canvas/estimated-box.ts), not every step once first to measure it. What the person
 * sees must not suffer: every connection drawn ends on its steps' handles, and zoom to fit
 * counts every step.
 */
const graph = bigGraph(500, 600);

declare global {
  interface Window {
    __mostSteps: number;
  }
}

/**
 * Connection ends that miss their handle: for each connection drawn, its first and last point
 * against the box of the handle it leaves from or arrives at (when that step is drawn).
 */
async function loose(page: Page) {
  return page.evaluate((edges) => {
    const misses: string[] = [];
    const box = (nodeId: string, type: "source" | "target", handleId: string | null | undefined) => {
      const handles = [...document.querySelectorAll<HTMLElement>(`.react-flow__handle.${type}`)].filter(
        (h) => h.dataset.nodeid === nodeId && (!handleId || h.dataset.handleid === handleId),
      );
      return handles[0]?.getBoundingClientRect();
    };
    const within = (p: DOMPoint, r: DOMRect) =>
      p.x >= r.left - 2 && p.x <= r.right + 2 && p.y >= r.top - 2 && p.y <= r.bottom + 2;
    let checked = 0;
    for (const e of edges) {
      const path = document.querySelector<SVGPathElement>(
        `.react-flow__edge[data-id="${e.id}"] path.react-flow__edge-path`,
      );
      const matrix = path?.getScreenCTM();
      if (!path || !matrix) continue;
      const start = path.getPointAtLength(0).matrixTransform(matrix);
      const end = path.getPointAtLength(path.getTotalLength()).matrixTransform(matrix);
      const from = box(e.source, "source", e.sourceHandle);
      const to = box(e.target, "target", null);
      if (from) checked++;
      if (to) checked++;
      if (from && !within(start, from)) misses.push(`${e.id} leaves ${e.source} at ${start.x},${start.y}`);
      if (to && !within(end, to)) misses.push(`${e.id} reaches ${e.target} at ${end.x},${end.y}`);
    }
    return { checked, misses };
  }, graph.edges);
}

test.beforeEach(async ({ page, admin }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
});

test("a workflow of 500 steps opens drawing only the steps in view, every connection on its handles, and draws more as it is panned", async ({
  page,
  adminApi,
}) => {
  const created = await adminApi.post("/api/workflows", { data: { name: `Large ${Date.now()}`, graph } });
  expect(created.ok()).toBe(true);
  const { id } = (await created.json()) as { id: string };
  await page.addInitScript(() => {
    window.__mostSteps = 0;
    new MutationObserver(() => {
      window.__mostSteps = Math.max(window.__mostSteps, document.querySelectorAll(".react-flow__node").length);
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`/workflows/${id}`);
  await expect(page.getByText("All changes saved")).toBeVisible();
  const canvas = page.getByTestId("canvas");
  // Too large to read whole: shown from its Start at 60%, the steps beside it drawn; the middle
  // and the far corner are not drawn, and never were, not even once to be measured.
  await expect(canvas.getByText("Step 1", { exact: true })).toBeVisible();
  await expect(canvas.getByTestId("node-start")).toBeInViewport();
  await expect(canvas.getByText("Step 237", { exact: true })).toHaveCount(0);
  await expect(canvas.getByText("Step 499", { exact: true })).toHaveCount(0);
  const drawn = () => canvas.locator(".react-flow__node").evaluateAll((nodes) => nodes.map((n) => n.dataset.id));
  const before = await drawn();
  const mostSteps = await page.evaluate(() => window.__mostSteps);
  expect(before.length).toBeGreaterThan(20);
  expect(mostSteps).toBeLessThan(120);

  // Every connection drawn leaves and reaches its handles, a Condition's branches included.
  await expect.poll(async () => (await loose(page)).misses).toEqual([]);
  expect((await loose(page)).checked).toBeGreaterThan(20);

  // Panned down and right: the steps that come into view are drawn, measured, and joined alike.
  // Grabbed where the canvas is empty (not on a step, nor on the minimap).
  const from = await page.evaluate(() => {
    for (let y = 500; y < 800; y += 10)
      for (let x = 700; x < 1000; x += 10)
        if (document.elementFromPoint(x, y)?.classList.contains("react-flow__pane")) return { x, y };
    return null;
  });
  expect(from).not.toBeNull();
  await page.mouse.move(from!.x, from!.y);
  await page.mouse.down();
  await page.mouse.move(from!.x - 500, from!.y - 400, { steps: 12 });
  await page.mouse.up();
  await expect.poll(async () => (await drawn()).filter((n) => !before.includes(n)).length).toBeGreaterThan(10);
  await expect.poll(async () => (await loose(page)).misses).toEqual([]);
  expect((await loose(page)).checked).toBeGreaterThan(20);

  // A Condition deleted and brought back by Undo (new objects for every step) is joined alike.
  const condition = canvas.locator(".react-flow__node").filter({ has: page.locator('[data-kind="condition"]') });
  const conditionId = await condition.first().getAttribute("data-id");
  await canvas.getByTestId(`node-${conditionId}`).click({ position: { x: 120, y: 12 } });
  await page.keyboard.press("Delete");
  await expect(canvas.getByTestId(`node-${conditionId}`)).toHaveCount(0);
  await page.keyboard.press("ControlOrMeta+z");
  await expect(canvas.getByTestId(`node-${conditionId}`)).toBeVisible();
  await expect.poll(async () => (await loose(page)).misses).toEqual([]);
  await page.screenshot({ path: "test-results/large-canvas.png" });

  // "Fit view" shows the whole graph at once, steps never drawn included, the first and the last.
  await page.getByRole("button", { name: "fit view" }).click();
  await expect(canvas.getByTestId("node-start")).toBeVisible();
  await expect(canvas.getByTestId("node-n499")).toBeVisible();
});
