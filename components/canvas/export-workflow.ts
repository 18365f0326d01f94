import type { WorkflowGraph } from "@/lib/schemas/workflow";

/** Downloads the workflow as a JSON file that Import accepts. */
export function downloadWorkflow(name: string, description: string, graph: WorkflowGraph): void {
  const blob = new Blob([JSON.stringify({ flowdeck: 1, name, description, graph }, null, 2)], {
    type: "application/json",
  });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `${
    name
      .replace(/[^\w-]+/g, "-")
      .replace(/^-|-$/g, "")
      .toLowerCase() || "workflow"
  }.flowdeck.json`;
  a.click();
  URL.revokeObjectURL(url);
}
