"use client";

import { Dialog as Radix } from "radix-ui";
import { useLayoutEffect, useRef } from "react";

const widths = { md: "max-w-md", lg: "max-w-xl", xl: "max-w-3xl" } as const;

/**
 * The modal frame every dialog shares (Radix Dialog): focus stays inside while it is open, Esc
 * and a click outside close it (when `onClose` is given), and focus goes back to whatever had it
 * when the dialog opened. Callers render it while it is open and drop it to close it, so there
 * is no Radix trigger to return to: the opener is remembered here instead.
 */
export function DialogFrame({
  title,
  titleHidden = false,
  onClose,
  testId,
  width = "md",
  placement = "center",
  className = "",
  children,
}: {
  title: string;
  /** The title still names the dialog for screen readers, but is not shown. */
  titleHidden?: boolean;
  onClose?: () => void;
  testId?: string;
  width?: keyof typeof widths;
  placement?: "center" | "top";
  /** Classes of the body (title and children). */
  className?: string;
  children: React.ReactNode;
}) {
  const opener = useRef<HTMLElement | null>(null);
  // Layout effects run before Radix moves focus into the dialog (in an effect).
  useLayoutEffect(() => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }, []);
  const position =
    placement === "top"
      ? "top-24 -translate-x-1/2"
      : "top-1/2 -translate-x-1/2 -translate-y-1/2 max-h-[calc(100vh-2rem)]";
  return (
    <Radix.Root open onOpenChange={(open) => !open && onClose?.()}>
      <Radix.Portal>
        <Radix.Overlay className="fixed inset-0 z-50 bg-slate-900/30" />
        <Radix.Content
          data-testid={testId}
          aria-describedby={undefined}
          onCloseAutoFocus={(e) => {
            e.preventDefault();
            // Back to where the person was, unless they already went on (Radix says so a task after
            // the dialog closes, and a busy browser runs input first): a field clicked and typed into
            // right after a command keeps its focus and what is typed.
            const now = document.activeElement;
            if (!now || now === document.body) opener.current?.focus();
          }}
          className={`fixed left-1/2 z-50 w-[calc(100%-2rem)] overflow-y-auto rounded-xl bg-white shadow-2xl ring-1 ring-slate-200 focus:outline-none ${position} ${widths[width]}`}
        >
          <div className={className}>
            <Radix.Title className={titleHidden ? "sr-only" : "pr-8 text-base font-semibold"}>{title}</Radix.Title>
            {children}
          </div>
          {onClose && (
            // Last in the DOM, so opening focuses the dialog's first field or choice, not this.
            <Radix.Close
              aria-label="Close"
              className="absolute top-3 right-3 rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-500"
            >
              <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth={2} aria-hidden>
                <path d="M6 6l12 12M18 6L6 18" />
              </svg>
            </Radix.Close>
          )}
        </Radix.Content>
      </Radix.Portal>
    </Radix.Root>
  );
}

/**
 * A modal dialog: a title, a body, and (when `onClose` is given) a Close button in the corner,
 * Esc and a click outside to close it. Without `onClose` the person must choose one of the
 * body's actions (the conflict dialog).
 */
export function Dialog({
  title,
  children,
  onClose,
  testId,
  width,
}: {
  title: string;
  children: React.ReactNode;
  onClose?: () => void;
  testId?: string;
  width?: keyof typeof widths;
}) {
  return (
    <DialogFrame title={title} onClose={onClose} testId={testId} width={width} className="space-y-4 p-6">
      {children}
    </DialogFrame>
  );
}
