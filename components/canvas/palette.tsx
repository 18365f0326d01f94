"use client";

import { useId } from "react";
import { nodeKindSpecs } from "@/lib/schemas/node-kinds";
import type { NodeKind } from "@/lib/schemas/workflow";
import { accentClasses } from "./nodes/accents";

export const DRAG_TYPE = "application/x-flowdeck-node";
const kinds = Object.values(nodeKindSpecs);

/**
 * The node kinds: drag one onto the canvas, or click to add it after the selected step
 * (connected; `after` names it) or, with none, in the middle of the view.
 */
export function Palette({
  onAdd,
  after,
  endsHere,
  disabled,
}: {
  onAdd: (kind: NodeKind) => void;
  after?: string;
  /** The selected step, when it passes nothing on (a step cannot follow it). */
  endsHere?: string;
  disabled: boolean;
}) {
  const hint = useId();
  return (
    <aside
      aria-label="Node palette"
      className="w-52 shrink-0 space-y-1 overflow-y-auto border-r border-slate-200 bg-white p-3"
    >
      <h2 className="px-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Add a step</h2>
      <p id={hint} className="px-1 pb-1 text-xs text-slate-600">
        {after ? (
          <>
            Click adds it after <span className="font-medium text-slate-800">“{after}”</span>, connected.
          </>
        ) : endsHere ? (
          <>
            <span className="font-medium text-slate-800">“{endsHere}”</span> passes nothing on: click adds it to the
            middle.
          </>
        ) : (
          "Click adds it to the middle; select a step to add after it."
        )}
      </p>
      {kinds.map((spec) => (
        <button
          key={spec.kind}
          type="button"
          disabled={disabled}
          draggable={!disabled}
          data-testid={`palette-${spec.kind}`}
          aria-describedby={hint}
          onDragStart={(e) => {
            e.dataTransfer.setData(DRAG_TYPE, spec.kind);
            e.dataTransfer.effectAllowed = "move";
          }}
          onClick={() => onAdd(spec.kind as NodeKind)}
          className="flex w-full cursor-grab items-center gap-2.5 rounded-md px-2 py-1.5 text-left hover:bg-slate-50 active:cursor-grabbing disabled:cursor-not-allowed disabled:opacity-50"
        >
          <span
            className={`grid size-7 shrink-0 place-items-center rounded text-sm ${accentClasses[spec.accent].icon}`}
            aria-hidden
          >
            {spec.icon}
          </span>
          <span className="min-w-0">
            <span className="block text-sm font-medium text-slate-800">{spec.label}</span>
            <span className="line-clamp-2 text-xs text-slate-500">{spec.description}</span>
          </span>
        </button>
      ))}
      <p className="px-1 pt-3 text-xs text-slate-500">
        Tip: press <kbd className="rounded bg-slate-100 px-1 text-slate-700">/</kbd> or{" "}
        <kbd className="rounded bg-slate-100 px-1 text-slate-700">Ctrl K</kbd> for the command menu.
      </p>
    </aside>
  );
}
