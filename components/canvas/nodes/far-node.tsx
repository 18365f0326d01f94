"use client";

import { Handle, Position } from "@xyflow/react";
import { specOf } from "@/lib/schemas/node-kinds";
import type { NodeKind } from "@/lib/schemas/workflow";
import { accentClasses } from "./accents";
import { runBadge, runRing } from "./run-marks";

/**
 * A step zoomed far out (components/canvas/zoom.ts): a plain box, which keeps panning a large
 * graph smooth, but still named, and a run's outcome still shown (its mark, not its colour
 * alone), in letters large enough to read this far out. Its handles stay, invisible, so
 * connections still end on them.
 */
export function FarNode({
  id,
  kind,
  name,
  frame,
  selected,
  runStatus,
  problems,
  outputs,
}: {
  id: string;
  kind: NodeKind;
  name: string;
  /** A Loop: its box is the frame of the steps inside it. */
  frame: boolean;
  selected: boolean;
  runStatus: keyof typeof runRing | undefined;
  problems: number;
  outputs: { id: string | null }[];
}) {
  const spec = specOf(kind);
  const mark = runStatus ? runBadge[runStatus] : null;
  return (
    <div
      data-testid={`node-${id}`}
      data-kind={kind}
      data-problems={problems}
      data-run-status={runStatus}
      className={`relative ${frame ? "h-full w-full" : "h-[84px] w-[240px]"} rounded-lg bg-white ${runStatus ? runRing[runStatus] : selected ? "ring-2 ring-brand-500" : "ring-1 ring-slate-300"}`}
    >
      <div className={`h-2 rounded-t-lg ${accentClasses[spec.accent].bar}`} />
      <div className="truncate px-3 pt-2 text-[40px] leading-tight font-semibold text-slate-800">
        {mark && (
          <span className="mr-2" title={mark.word}>
            {mark.icon}
          </span>
        )}
        {name}
      </div>
      {spec.hasInput && <Handle type="target" position={Position.Left} className="!invisible" />}
      {outputs.map((o) => (
        <Handle
          key={o.id ?? "out"}
          id={o.id ?? undefined}
          type="source"
          position={Position.Right}
          className="!invisible"
        />
      ))}
    </div>
  );
}
