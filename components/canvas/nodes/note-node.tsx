"use client";

import type { NodeProps } from "@xyflow/react";
import { memo } from "react";
import type { FlowNode } from "@/lib/canvas/flow-mapping";
import { useDecorations } from "./decorations";

/** A sticky note on the canvas; edited in the inspector, never connected or run. */
export const NoteNodeView = memo(function NoteNodeView({ id, data, selected }: NodeProps<FlowNode>) {
  const text = String(data.config.text ?? "");
  const change = useDecorations().diff.get(id);
  return (
    <div
      data-testid={`node-${id}`}
      data-kind="note"
      data-diff={change}
      className={`w-[200px] rounded-md bg-yellow-100 p-3 text-sm whitespace-pre-wrap text-yellow-950 shadow-sm ring-1 ${selected ? "ring-2 ring-brand-500" : "ring-yellow-300"} ${
        change ? "outline-2 outline-offset-2 outline-emerald-400" : ""
      }`}
    >
      {text || <span className="text-yellow-700/70 italic">Empty note — write in the inspector</span>}
    </div>
  );
});
