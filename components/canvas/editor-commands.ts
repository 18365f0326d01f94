"use client";

import { nodeKindSpecs } from "@/lib/schemas/node-kinds";
import type { NodeKind, WorkflowNode } from "@/lib/schemas/workflow";
import type { Command } from "./command-menu";
import type { PanelTab } from "./side-panel";

/**
 * The command menu's commands, in the order shown: connecting the selected step, adding each
 * kind of step (in the middle of the view, then after the selected step), deleting the selected
 * step, then running, publishing and arranging.
 */
export function editorCommands(c: {
  connect: Command[];
  /** The selected step, when it may be deleted. */
  deletable: Pick<WorkflowNode, "id" | "label"> | undefined;
  canWrite: boolean;
  add: (kind: NodeKind) => void;
  /** The selected step, when a step can be added after it (connected from it). */
  after?: { label: string; add: (kind: NodeKind) => void };
  remove: (id: string) => void;
  run: () => void;
  publish: () => void;
  layout: () => void;
  fit: () => void;
  show: (tab: PanelTab) => void;
}): Command[] {
  const target = c.deletable;
  return [
    ...c.connect,
    ...Object.values(nodeKindSpecs).map((s) => ({
      id: `add-${s.kind}`,
      label: `Add ${s.label}`,
      hint: s.description,
      run: () => c.add(s.kind as NodeKind),
    })),
    ...(c.after
      ? Object.values(nodeKindSpecs)
          .filter((s) => s.hasInput)
          .map((s) => ({
            id: `add-${s.kind}-after`,
            label: `Add ${s.label} after “${c.after!.label}”`,
            hint: "connected from it",
            run: () => c.after!.add(s.kind as NodeKind),
          }))
      : []),
    ...(target
      ? [{ id: "delete", label: `Delete “${target.label || target.id}”`, run: () => c.remove(target.id) }]
      : []),
    { id: "run", label: "Run the workflow", hint: "a test run of the draft", run: c.run },
    ...(c.canWrite ? [{ id: "publish", label: "Publish", run: c.publish }] : []),
    { id: "layout", label: "Auto-layout", hint: "arrange left to right", run: c.layout },
    { id: "fit", label: "Zoom to fit", run: c.fit },
    { id: "problems", label: "Show problems", run: () => c.show("problems") },
    { id: "versions", label: "Show versions", run: () => c.show("versions") },
  ];
}
