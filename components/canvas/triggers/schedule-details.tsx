"use client";

import cronstrue from "cronstrue";
import { nextTicks, type ScheduleConfig } from "@/lib/schemas/triggers";

/** A cron expression in words ("At 09:00 AM, Monday through Friday"), or null when it cannot be read. */
export function cronInWords(cron: string): string | null {
  try {
    return cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
  } catch {
    return null;
  }
}

/** The next `n` ticks, written in the schedule's own time zone. */
export function nextTimes(config: Pick<ScheduleConfig, "cron" | "timezone">, n = 5): string[] {
  try {
    const format = new Intl.DateTimeFormat(undefined, {
      dateStyle: "full",
      timeStyle: "medium",
      timeZone: config.timezone,
    });
    return nextTicks(config.cron, config.timezone, n).map((d) => format.format(d));
  } catch {
    return [];
  }
}

/** When a schedule runs (in words and its next five times), with what input, and what it does with missed ticks. */
export function ScheduleDetails({ config, name }: { config: ScheduleConfig; name: string }) {
  const times = nextTimes(config);
  return (
    <>
      <p className="text-xs text-slate-600">
        Schedule · {cronInWords(config.cron) ?? config.cron} ({config.timezone}) · missed ticks{" "}
        {config.missed === "skip" ? "are skipped" : "run once"}
      </p>
      <div>
        <p className="text-xs font-medium text-slate-700">Next five runs</p>
        <ol className="mt-1 list-decimal space-y-0.5 pl-5 text-xs text-slate-700" aria-label={`Next runs of ${name}`}>
          {times.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ol>
      </div>
      <div>
        <p className="text-xs font-medium text-slate-700">Input</p>
        <pre className="mt-1 overflow-auto rounded bg-slate-50 p-1.5 font-mono text-xs break-all whitespace-pre-wrap text-slate-800">
          {JSON.stringify(config.input)}
        </pre>
      </div>
    </>
  );
}
