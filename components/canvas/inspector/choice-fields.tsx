"use client";

import { useState } from "react";

/** The inspector's text inputs' look. */
export const control =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 aria-invalid:ring-red-400";

/** A set picked from fixed options (kinds of personal data): one checkbox each, in a named group. */
export function Checklist({
  label,
  options,
  labels,
  value,
  onChange,
  error,
}: {
  label: string;
  options: string[];
  labels: Record<string, string>;
  value: string[];
  onChange: (v: unknown) => void;
  error?: string;
}) {
  return (
    <fieldset className="space-y-1">
      <legend className="text-xs font-medium text-slate-700">{label}</legend>
      {options.map((o) => (
        <label key={o} className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={value.includes(o)}
            onChange={(e) =>
              onChange(
                e.target.checked ? options.filter((x) => x === o || value.includes(x)) : value.filter((x) => x !== o),
              )
            }
            className="size-4 rounded border-slate-300 text-brand-600"
          />
          {labels[o] ?? o}
        </label>
      ))}
      {error && <p className="text-xs text-red-600">{error}</p>}
    </fieldset>
  );
}

/** A list of short strings (tools, outcomes) edited as chips. */
export function StringList({
  value,
  onChange,
  ...rest
}: {
  value: string[];
  onChange: (v: unknown) => void;
  id: string;
}) {
  const [draft, setDraft] = useState("");
  const add = () => {
    const v = draft.trim();
    if (v && !value.includes(v)) onChange([...value, v]);
    setDraft("");
  };
  return (
    <div className="space-y-1.5">
      {value.length > 0 && (
        <ul className="flex flex-wrap gap-1.5">
          {value.map((v) => (
            <li
              key={v}
              className="inline-flex items-center gap-1 rounded-full bg-slate-100 py-0.5 pr-1 pl-2 font-mono text-xs"
            >
              {v}
              <button
                type="button"
                aria-label={`Remove ${v}`}
                onClick={() => onChange(value.filter((x) => x !== v))}
                className="rounded-full px-1 text-slate-500 hover:bg-slate-200"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        {...rest}
        value={draft}
        placeholder="Type and press Enter"
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => e.key === "Enter" && (e.preventDefault(), add())}
        onBlur={add}
        className={control}
      />
    </div>
  );
}
