"use client";

import { Tooltip } from "radix-ui";
import { useId, useState } from "react";

/**
 * Says why a control cannot be used: a Radix tooltip on hover and on keyboard focus, and the
 * same words as the control's description (aria-describedby) for screen readers. With no
 * `reason` the control is shown as it is; the element stays the same either way, so focus is
 * not lost when the reason goes away. The control must stay focusable (aria-disabled, not
 * disabled): a disabled button gets no hover or focus. The pointer may rest on the tooltip to
 * read it (WCAG 1.4.13), so `side` puts it where it covers nothing the person goes to next
 * (Publish's, beside it: below, it lay over the Problems tab it names).
 */
export function ReasonTooltip({
  reason,
  children,
  side = "bottom",
}: {
  reason: string | null;
  children: React.ReactElement;
  side?: "top" | "right" | "bottom" | "left";
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const shown = open && !!reason;
  return (
    <>
      <Tooltip.Root open={shown} onOpenChange={setOpen}>
        {/* While the tooltip is open Radix describes the control by it; otherwise the hidden copy does. */}
        <Tooltip.Trigger asChild aria-describedby={reason && !shown ? id : undefined}>
          {children}
        </Tooltip.Trigger>
        <Tooltip.Portal>
          <Tooltip.Content
            side={side}
            sideOffset={6}
            collisionPadding={8}
            className="z-50 max-w-xs rounded-md bg-slate-900 px-2.5 py-1.5 text-xs text-white shadow-lg"
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
