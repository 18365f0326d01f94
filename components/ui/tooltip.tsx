"use client";

import { Tooltip } from "radix-ui";
import { useId, useState } from "react";

/**
 * Says why a control cannot be used: a Radix tooltip on hover and on keyboard focus, and the
 * same words as the control's description (aria-describedby) for screen readers. With no
 * `reason` the control is shown as it is; the element stays the same either way, so focus is
 * not lost when the reason goes away. The control must stay focusable (aria-disabled, not
 * disabled): a disabled button gets no hover or focus. The tooltip never holds the pointer: it
 * closes as the pointer leaves the control and lets clicks through, so it cannot cover what it
 * points to (Publish's tooltip lies over the Problems tab it names).
 */
export function ReasonTooltip({ reason, children }: { reason: string | null; children: React.ReactElement }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const shown = open && !!reason;
  return (
    <>
      <Tooltip.Root open={shown} onOpenChange={setOpen} disableHoverableContent>
        {/* While the tooltip is open Radix describes the control by it; otherwise the hidden copy does. */}
        <Tooltip.Trigger asChild aria-describedby={reason && !shown ? id : undefined}>
          {children}
        </Tooltip.Trigger>
        <Tooltip.Portal>
          <Tooltip.Content
            side="bottom"
            sideOffset={6}
            collisionPadding={8}
            className="reason-tooltip pointer-events-none z-50 max-w-xs rounded-md bg-slate-900 px-2.5 py-1.5 text-xs text-white shadow-lg"
          >
            {reason}
            <Tooltip.Arrow className="fill-slate-900" />
          </Tooltip.Content>
        </Tooltip.Portal>
      </Tooltip.Root>
      {reason && (
        <span id={id} hidden>
          {reason}
        </span>
      )}
    </>
  );
}
