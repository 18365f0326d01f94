"use client";

import { Menu, MenuContent, MenuItem, MenuLabel, MenuSeparator, MenuTrigger, SubMenu } from "@/components/ui/menu";
import { useCanvasActions } from "../canvas-actions";

/**
 * A step's "⋯" menu: connect each of its outputs to another step (the way to connect without
 * dragging a dot, by mouse or keyboard), or delete it.
 */
export function StepMenu({
  id,
  label,
  outputs,
  deletable,
}: {
  id: string;
  label: string;
  outputs: { id: string | null; label: string }[];
  deletable: boolean;
}) {
  const actions = useCanvasActions();
  if (actions.readOnly) return null;
  // A component, so the list is made only when its submenu opens (every step on the canvas has this menu).
  const targets = (handle: string | null) => <Targets id={id} handle={handle} />;
  return (
    <Menu>
      <MenuTrigger
        aria-label={`Step menu: ${label}`}
        className="nodrag nopan grid size-7 shrink-0 place-items-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none"
      >
        <span aria-hidden>⋯</span>
      </MenuTrigger>
      <MenuContent label={`Step menu: ${label}`}>
        {outputs.length === 1 && <SubMenu label="Connect to…">{targets(outputs[0]!.id)}</SubMenu>}
        {outputs.length > 1 && (
          <>
            <MenuLabel>Connect</MenuLabel>
            {outputs.map((o) => (
              <SubMenu key={o.id ?? "next"} label={`“${o.label || "next"}” to…`}>
                {targets(o.id)}
              </SubMenu>
            ))}
          </>
        )}
        {outputs.length > 0 && deletable && <MenuSeparator />}
        {deletable && (
          <MenuItem tone="danger" onSelect={() => actions.removeNode(id)}>
            Delete step
          </MenuItem>
        )}
      </MenuContent>
    </Menu>
  );
}

/** The steps an output of step `id` can be connected to, as menu items. */
function Targets({ id, handle }: { id: string; handle: string | null }) {
  const actions = useCanvasActions();
  const list = actions.targetsOf(id, handle);
  return list.length ? (
    list.map((t) => (
      <MenuItem key={t.id} onSelect={() => actions.connect(id, handle, t.id)}>
        {t.label}
      </MenuItem>
    ))
  ) : (
    <MenuItem disabled onSelect={() => {}}>
      No step to connect to
    </MenuItem>
  );
}
