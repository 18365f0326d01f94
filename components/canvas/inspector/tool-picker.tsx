"use client";

import { useToolChoices } from "@/lib/queries/mcp";

const control =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 aria-invalid:ring-red-400";

/** Picks one tool for a Tool step: only tools this person may use are offered. */
export function ToolPicker({
  value,
  onChange,
  ...aria
}: {
  value: string;
  onChange: (name: string) => void;
  id?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
}) {
  const tools = useToolChoices();
  const choices = tools.data ?? [];
  const missing = value && tools.data && !choices.some((t) => t.name === value);
  return (
    <select {...aria} value={value} onChange={(e) => onChange(e.target.value)} className={control}>
      <option value="">
        {tools.isPending
          ? "Loading tools…"
          : choices.length
            ? "Pick a tool"
            : "No tools allowed to you yet (an admin allows them under Tools)"}
      </option>
      {missing && <option value={value}>{value} (not available to you)</option>}
      {choices.map((t) => (
        <option key={t.name} value={t.name}>
          {t.name}
          {t.requiresApproval ? " (each call approved by a person)" : ""}
        </option>
      ))}
    </select>
  );
}

/** Picks the tools an Agent step may call. */
export function ToolsChecklist({
  value,
  onChange,
  id,
}: {
  value: string[];
  onChange: (names: string[]) => void;
  id?: string;
}) {
  const tools = useToolChoices();
  const choices = tools.data ?? [];
  const unknown = value.filter((v) => tools.data && !choices.some((t) => t.name === v));
  if (!choices.length && !unknown.length)
    return (
      <p className="text-xs text-slate-500">{tools.isPending ? "Loading tools…" : "No tools allowed to you yet."}</p>
    );
  return (
    <div id={id} className="max-h-40 space-y-1 overflow-y-auto rounded-md p-2 ring-1 ring-slate-200">
      {[
        ...choices.map((t) => ({ name: t.name, note: t.description })),
        ...unknown.map((n) => ({ name: n, note: "not available to you" })),
      ].map((t) => (
        <label key={t.name} className="flex items-start gap-2 text-xs" title={t.note}>
          <input
            type="checkbox"
            className="mt-0.5"
            checked={value.includes(t.name)}
            onChange={(e) => onChange(e.target.checked ? [...value, t.name] : value.filter((v) => v !== t.name))}
          />
          <span className="font-mono">{t.name}</span>
        </label>
      ))}
    </div>
  );
}
