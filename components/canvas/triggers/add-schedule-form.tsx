"use client";

import { useId, useMemo, useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { NewTriggerForm, problemOf, useSaveTrigger } from "./new-trigger-form";
import { cronProblem, isTimeZone, type ScheduleConfig, type TriggerView } from "@/lib/schemas/triggers";
import { cronInWords, nextTimes } from "./schedule-details";

const PRESETS = [
  { value: "0 9 * * 1-5", label: "Weekdays at 09:00" },
  { value: "0 * * * *", label: "Every hour" },
  { value: "*/15 * * * *", label: "Every 15 minutes" },
  { value: "0 8 * * 1", label: "Mondays at 08:00" },
  { value: "0 0 1 * *", label: "The 1st of each month at midnight" },
];

const zones = (): string[] => {
  const all = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone");
  return all?.length ? ["UTC", ...all.filter((z) => z !== "UTC")] : ["UTC"];
};

/**
 * The form that makes a schedule (a cron expression in a time zone, shown in words and as its
 * next five times; the input; missed ticks), or changes one (`editing`: its history stays).
 */
export function AddScheduleForm({
  workflowId,
  exampleInput,
  editing,
  onAdded,
  onCancel,
}: {
  workflowId: string;
  exampleInput: string;
  editing?: Extract<TriggerView, { kind: "schedule" }>;
  onAdded: (t: TriggerView) => void;
  onCancel: () => void;
}) {
  const add = useSaveTrigger(workflowId, editing);
  // A stored zone this browser does not list (an alias, such as Asia/Calcutta) is offered too.
  const timeZones = useMemo(
    () => [...zones(), ...(editing && !zones().includes(editing.config.timezone) ? [editing.config.timezone] : [])],
    [editing],
  );
  const here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const was = editing?.config;
  const [name, setName] = useState(editing?.name ?? "");
  const [cron, setCron] = useState(was?.cron ?? "0 9 * * 1-5");
  const [timezone, setTimezone] = useState(was?.timezone ?? (isTimeZone(here) ? here : "UTC"));
  const [input, setInput] = useState(was ? JSON.stringify(was.input) : exampleInput);
  const [missed, setMissed] = useState<ScheduleConfig["missed"]>(was?.missed ?? "skip");
  const inputId = useId();
  const problem = cronProblem(cron, timezone);
  let parsed: Record<string, unknown> | null = null;
  try {
    const value: unknown = JSON.parse(input || "{}");
    if (value && typeof value === "object" && !Array.isArray(value)) parsed = value as Record<string, unknown>;
  } catch {
    parsed = null;
  }
  const served = (field: string) => problemOf(add.error, field);
  return (
    <NewTriggerForm
      {...add.labels("schedule")}
      namePlaceholder="Morning digest"
      name={name}
      onName={setName}
      error={add.error}
      busy={add.busy}
      disabledReason={problem ? "Fix the cron expression first" : !parsed ? "Fix the input first" : null}
      onSubmit={() => {
        if (problem || !parsed) return;
        add.save({ kind: "schedule", name, config: { cron, timezone, input: parsed, missed } }, onAdded);
      }}
      onCancel={onCancel}
    >
      <SelectField
        label="Start from"
        value={PRESETS.some((p) => p.value === cron) ? cron : ""}
        onChange={(e) => e.target.value && setCron(e.target.value)}
        options={[{ value: "", label: "My own expression" }, ...PRESETS]}
      />
      <TextField
        label="Cron expression"
        value={cron}
        onChange={(e) => setCron(e.target.value)}
        className="font-mono"
        hint="minute hour day month weekday; a sixth field in front counts seconds"
        error={problem ?? served("config.cron")}
        spellCheck={false}
      />
      <SelectField
        label="Time zone"
        value={timezone}
        onChange={(e) => setTimezone(e.target.value)}
        options={timeZones.map((z) => ({ value: z, label: z }))}
      />
      {!problem && (
        <div className="rounded bg-slate-50 p-2 text-xs text-slate-700 ring-1 ring-slate-200" aria-live="polite">
          <p className="font-medium">{cronInWords(cron)}</p>
          <p className="mt-1">Next five runs:</p>
          <ol className="list-decimal pl-5" aria-label="Next five runs">
            {nextTimes({ cron, timezone }).map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ol>
        </div>
      )}
      <div className="space-y-1.5">
        <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">
          Input (the Start fields, as JSON)
        </label>
        <textarea
          id={inputId}
          rows={3}
          value={input}
          spellCheck={false}
          aria-invalid={!parsed || undefined}
          aria-describedby={!parsed ? `${inputId}-error` : undefined}
          onChange={(e) => setInput(e.target.value)}
          className="block w-full rounded-md px-3 py-2 font-mono text-xs ring-1 ring-slate-300 ring-inset aria-invalid:ring-red-400"
        />
        {!parsed && (
          <p id={`${inputId}-error`} className="text-xs text-red-600">
            Write a JSON object, such as {exampleInput}
          </p>
        )}
      </div>
      <SelectField
        label="Ticks missed while no worker was up"
        value={missed}
        onChange={(e) => setMissed(e.target.value as ScheduleConfig["missed"])}
        options={[
          { value: "skip", label: "Skip them" },
          { value: "once", label: "Run once for all of them" },
        ]}
      />
    </NewTriggerForm>
  );
}
