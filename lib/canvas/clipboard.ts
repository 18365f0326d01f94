import { workflowGraphSchema, type WorkflowGraph } from "../schemas/workflow";

/**
 * Copied nodes live in localStorage, so they paste into another workflow (another tab, too).
 * The system clipboard gets the same JSON where the browser allows it.
 */
const KEY = "flowdeck:clipboard";

export function copyToClipboard(graph: WorkflowGraph): void {
  const text = JSON.stringify({ flowdeckClipboard: 1, graph });
  localStorage.setItem(KEY, text);
  void navigator.clipboard?.writeText(text).catch(() => undefined);
}

export function readClipboard(): WorkflowGraph | null {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? "null");
    const parsed = workflowGraphSchema.safeParse(raw?.graph);
    return parsed.success && parsed.data.nodes.length ? parsed.data : null;
  } catch {
    return null;
  }
}
