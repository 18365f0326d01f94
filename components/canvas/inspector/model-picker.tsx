"use client";

import { useModelChoices } from "@/lib/queries/gateway";

/**
 * Picks a model alias for an Agent step: only the models this person may use are offered.
 * `optional`: no model is a choice too (a Guardrail without a judge).
 */
export function ModelPicker({
  value,
  onChange,
  optional = false,
  ...aria
}: {
  value: string;
  onChange: (name: string) => void;
  optional?: boolean;
  id?: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
}) {
  const models = useModelChoices();
  const choices = models.data ?? [];
  const missing = value && models.data && !choices.some((m) => m.name === value);
  return (
    <select
      {...aria}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className="block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 aria-invalid:ring-red-400"
    >
      <option value="">{models.isPending ? "Loading models…" : optional ? "None" : "Pick a model"}</option>
      {missing && <option value={value}>{value} (not available to you)</option>}
      {choices.map((m) => (
        <option key={m.name} value={m.name}>
          {m.name}
          {m.description ? ` — ${m.description}` : ""}
        </option>
      ))}
    </select>
  );
}
