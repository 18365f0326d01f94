import type { ComponentProps } from "react";
import { ReasonTooltip } from "./tooltip";

type Variant = "primary" | "secondary" | "danger" | "ghost";

/** Each variant usable (`on`, with its hover) and not (`off`: disabled, busy, or unavailable for a reason). */
const styles: Record<Variant, { on: string; off: string }> = {
  primary: { on: "bg-brand-600 text-white hover:bg-brand-700", off: "bg-brand-600/50 text-white" },
  secondary: {
    on: "bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50",
    off: "bg-white text-slate-500 ring-1 ring-slate-300",
  },
  danger: {
    on: "bg-white text-red-700 ring-1 ring-red-200 hover:bg-red-50",
    off: "bg-white text-red-300 ring-1 ring-red-200",
  },
  ghost: { on: "text-slate-600 hover:bg-slate-100 hover:text-slate-900", off: "text-slate-500" },
};

const sizes = { sm: "gap-1.5 px-2 py-1 text-xs", md: "gap-2 px-3.5 py-2 text-sm" } as const;

/**
 * The one button; `busy` shows progress and blocks double submits.
 *
 * `disabledReason`: for a button that is sometimes unavailable for a reason the person should
 * hear. A string makes it unavailable and says why (a tooltip on hover and keyboard focus, and
 * its accessible description); `null` leaves it usable. Unlike `disabled`, the button stays
 * focusable (aria-disabled) and a click does nothing, not even submit its form.
 */
export function Button({
  variant = "primary",
  size = "md",
  busy,
  className = "",
  children,
  disabled,
  disabledReason,
  reasonSide,
  onClick,
  title,
  ...rest
}: ComponentProps<"button"> & {
  variant?: Variant;
  size?: keyof typeof sizes;
  busy?: boolean;
  disabledReason?: string | null;
  /** Where the reason's tooltip goes (below by default). */
  reasonSide?: "top" | "right" | "bottom" | "left";
}) {
  const unavailable = !!disabledReason && !busy;
  const off = disabled || busy || unavailable;
  const button = (
    <button
      {...rest}
      title={unavailable ? undefined : title}
      disabled={(disabled && !unavailable) || busy}
      aria-disabled={unavailable || undefined}
      aria-busy={busy || undefined}
      onClick={unavailable ? (e) => e.preventDefault() : onClick}
      className={`inline-flex items-center justify-center whitespace-nowrap rounded-md font-medium ${sizes[size]} shadow-sm transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 ${off ? "cursor-not-allowed" : ""} ${styles[variant][off ? "off" : "on"]} ${className}`}
    >
      {busy && (
        <span className="size-3.5 animate-spin rounded-full border-2 border-current border-t-transparent" aria-hidden />
      )}
      {children}
    </button>
  );
  return disabledReason === undefined ? (
    button
  ) : (
    <ReasonTooltip reason={unavailable ? disabledReason : null} side={reasonSide}>
      {button}
    </ReasonTooltip>
  );
}
