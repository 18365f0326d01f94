"use client";

import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore, type EdgeProps } from "@xyflow/react";
import { memo } from "react";
import { insertableKinds } from "@/lib/canvas/editor-state";
import { specOf } from "@/lib/schemas/node-kinds";
import { Menu, MenuContent, MenuItem, MenuLabel, MenuSeparator, MenuTrigger } from "@/components/ui/menu";
import { useCanvasActions } from "../canvas-actions";
import { zoomedFarOut } from "../zoom";

/**
 * A connection with a "+" in its middle: the menu puts a new step on it (the later step then
 * reads the new one) or deletes it. The button is named for the two steps it joins. Zoomed far
 * out (./zoom.ts) there is no "+".
 */
/**
 * After the menu has closed: the pointer's click then lands on the canvas beneath, which clears
 * the selection, and the new step must be selected after that.
 */
const later = (fn: () => void) => setTimeout(fn, 0);

export const InsertableEdge = memo(function InsertableEdge(props: EdgeProps) {
  const { id, source, target, sourceHandleId, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition } =
    props;
  const actions = useCanvasActions();
  // Zoomed far out the "+" would be a dot nobody can aim at, and each one is a menu to set up:
  // only a selected connection keeps it (selected from the keyboard, its menu is still there).
  const far = useStore(zoomedFarOut) && !props.selected;
  const [path, labelX, labelY] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  const name = `${actions.labelOf(source)}${sourceHandleId ? ` (${sourceHandleId})` : ""} to ${actions.labelOf(target)}`;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={props.markerEnd} style={props.style} interactionWidth={24} />
      {!actions.readOnly && !far && (
        <EdgeLabelRenderer>
          <div
            className="nodrag nopan pointer-events-auto absolute"
            data-edge-id={id}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            <Menu>
              <MenuTrigger
                aria-label={`Connection from ${name}: insert a step or delete`}
                className={`grid size-6 place-items-center rounded-full bg-white text-sm leading-none font-semibold text-slate-700 shadow ring-1 ring-slate-300 hover:bg-brand-50 hover:text-brand-700 hover:ring-brand-500 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none ${props.selected ? "ring-2 ring-brand-500" : ""}`}
              >
                <span aria-hidden>+</span>
              </MenuTrigger>
              <MenuContent label={`Connection from ${name}`}>
                <MenuLabel>Insert a step here</MenuLabel>
                {insertableKinds.map((kind) => (
                  <MenuItem key={kind} onSelect={() => later(() => actions.insertOnEdge(id, kind))}>
                    <span aria-hidden className="w-4 text-center">
                      {specOf(kind).icon}
                    </span>
                    {specOf(kind).label}
                  </MenuItem>
                ))}
                <MenuSeparator />
                <MenuItem tone="danger" onSelect={() => actions.removeEdge(id)}>
                  Delete connection
                </MenuItem>
              </MenuContent>
            </Menu>
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
