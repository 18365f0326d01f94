import { getViewportForBounds, type Edge, type Node, type ReactFlowInstance, type ReactFlowState } from "@xyflow/react";

/**
 * Zoomed out so far that small text and controls are unreadable (under 35%): steps are drawn as
 * plain boxes with only their name and run mark, in large letters, and connections without
 * their "+" menu, which keeps zooming to fit a large graph and panning it quick.
 */
export const zoomedFarOut = (s: ReactFlowState) => s.transform[2] < 0.35;

/** Zoom to fit: small graphs stay at full size (readable text); larger ones are shown whole down to 60%. */
export const FIT_VIEW = { padding: 0.08, maxZoom: 1, minZoom: 0.6 };
/** Room left of (and above) the flow's Start when it is shown from its beginning. */
const START_MARGIN = 32;

/**
 * Shows a workflow as a person opening it wants to see it: whole when it can be read whole
 * (FIT_VIEW), else from its beginning: its Start at the left (flows run left to right), at the
 * least zoom whose text can be read, rather than the middle of the graph with the Start out of
 * sight or cut off under a side panel. One move: worked out first from the steps' sizes when they
 * are known (after Auto-layout); on opening, when they are not measured yet, once React Flow has
 * fitted the graph (which waits for them).
 */
export async function showWorkflow<N extends Node, E extends Edge>(
  flow: ReactFlowInstance<N, E>,
  store: StoreApi,
  options: { duration?: number } = {},
): Promise<void> {
  const top = flow.getNodes().filter((n) => !n.parentId);
  const known = top.length > 0 && top.every((n) => n.measured?.width && n.measured?.height);
  if (!known) await flow.fitView({ ...FIT_VIEW, duration: 0 });
  const { width, height } = store.getState();
  const nodes = flow.getNodes().filter((n) => !n.parentId);
  const start = nodes.find((n) => (n.data as { kind?: string }).kind === "start");
  if (!width || !height || !nodes.length) return;
  const graph = flow.getNodesBounds(nodes);
  const fitted = getViewportForBounds(graph, width, height, FIT_VIEW.minZoom, FIT_VIEW.maxZoom, FIT_VIEW.padding);
  const { zoom } = fitted;
  let { x, y } = fitted;
  if (start) {
    const box = flow.getNodesBounds([start]);
    const [left, upper] = [box.x * zoom + x, box.y * zoom + y];
    const [right, lower] = [left + box.width * zoom, upper + box.height * zoom];
    if (left < 0 || right > width) x = START_MARGIN - box.x * zoom;
    // Moved up or down only if the Start is out of view that way; never below the graph's top.
    if (upper < 0 || lower > height)
      y = Math.min(height / 2 - (box.y + box.height / 2) * zoom, START_MARGIN - graph.y * zoom);
  }
  await flow.setViewport({ x, y, zoom }, options);
}

type StoreApi = { getState(): { width: number; height: number } };
