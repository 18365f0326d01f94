"use client";

import { useState } from "react";

const LIMIT = 2_000;

/** A step's input or output: text as it is, anything else as JSON; long values cut at 2,000 characters with a way to see all. */
export function LargeValue({ value, testId }: { value: unknown; testId?: string }) {
  const [all, setAll] = useState(false);
  const [copied, setCopied] = useState(false);
  if (value === undefined || value === null) return <span className="text-slate-500">—</span>;
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  const long = text.length > LIMIT;
  return (
    <div className="space-y-1" data-testid={testId}>
      <pre
        className={`overflow-auto rounded-md bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap text-slate-700 ring-1 ring-slate-200 ${all ? "max-h-[32rem]" : "max-h-64"}`}
      >
        {long && !all ? `${text.slice(0, LIMIT)}…` : text}
      </pre>
      <div className="flex gap-3 text-xs">
        {long && (
          <button type="button" className="text-brand-700 hover:underline" onClick={() => setAll((a) => !a)}>
            {all ? "Show less" : `Show all (${text.length.toLocaleString("en-US")} characters)`}
          </button>
        )}
        <button
          type="button"
          className="text-slate-500 hover:underline"
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </div>
  );
}
