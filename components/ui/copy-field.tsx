"use client";

import { useId } from "react";
import { CopyButton } from "./copy-button";

/**
 * A value shown once, to copy (an invitation link, a new API key): all of it, wrapped in a
 * read-only field that selects itself on focus, with a Copy button beside it.
 */
export function CopyField({
  value,
  label,
  confirmation,
  testId,
}: {
  value: string;
  /** The field's name for screen readers and tests ("Invitation link"). */
  label: string;
  confirmation: string;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-2">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <textarea
        id={id}
        readOnly
        rows={2}
        value={value}
        data-testid={testId}
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
        className="block min-w-0 flex-1 resize-none rounded-md bg-white px-3 py-2 font-mono text-sm break-all text-slate-900 ring-1 ring-emerald-200 field-sizing-content focus:ring-2 focus:ring-brand-500 focus:outline-none"
      />
      <CopyButton value={value} confirmation={confirmation} />
    </div>
  );
}
