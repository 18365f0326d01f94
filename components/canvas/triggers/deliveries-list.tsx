"use client";

import Link from "next/link";
import { useDeliveries } from "@/lib/queries/triggers";
import type { DeliveryView } from "@/lib/schemas/triggers";
import { Moment } from "@/components/ui/moment-text";

const WORDS: Record<number, string> = {
  200: "OK",
  202: "Accepted",
  204: "Skipped",
  400: "Bad input",
  403: "Refused",
  404: "Not found",
  409: "Conflict",
  413: "Too large",
  415: "Not JSON",
  429: "Too many",
  500: "Run failed",
};

/** How the delivery's run stands, in words and a mark (its answer only says it was taken). */
const RUN_WORDS: Record<NonNullable<DeliveryView["runStatus"]>, string> = {
  queued: "queued",
  running: "running",
  waiting: "⏸ waiting for a person",
  completed: "✓ completed",
  failed: "✕ failed",
  cancelled: "cancelled",
};
const RUN_TONE: Record<NonNullable<DeliveryView["runStatus"]>, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-sky-100 text-sky-900",
  waiting: "bg-amber-100 text-amber-900",
  completed: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-slate-200 text-slate-800",
};

/** A trigger's last deliveries (a chat's messages, a form's answers, a schedule's ticks): when, what was answered (code and words), the run, the start of the body. */
export function DeliveriesList({ triggerId, label }: { triggerId: string; label: string }) {
  const deliveries = useDeliveries(triggerId);
  if (deliveries.isPending) return <p className="text-xs text-slate-500">Loading deliveries…</p>;
  if (deliveries.error)
    return <p className="text-xs text-red-600">Could not load deliveries: {deliveries.error.message}</p>;
  if (deliveries.data.length === 0)
    return (
      <p className="text-xs text-slate-500">
        {{
          "Recent ticks": "No ticks yet.",
          "Recent answers": "No answers yet.",
          "Recent messages": "No messages yet.",
        }[label] ?? "No deliveries yet."}
      </p>
    );
  return (
    <ul className="space-y-1.5" aria-label={label}>
      {deliveries.data.map((d) => {
        const ok = d.status >= 200 && d.status < 300;
        return (
          <li key={d.id} className="rounded bg-slate-50 p-2 text-xs ring-1 ring-slate-200">
            <div className="flex flex-wrap items-center gap-1.5">
              <span
                className={`rounded px-1.5 py-0.5 font-medium ${ok ? "bg-emerald-100 text-emerald-800" : d.status === 0 ? "bg-slate-200 text-slate-700" : "bg-red-100 text-red-800"}`}
              >
                {d.status === 0
                  ? "Starting"
                  : label === "Recent messages" && d.status === 202
                    ? "202 Answering"
                    : `${d.status} ${WORDS[d.status] ?? ""}`.trim()}
              </span>
              {d.runStatus && (
                <span className={`rounded px-1.5 py-0.5 font-medium ${RUN_TONE[d.runStatus]}`}>
                  Run {RUN_WORDS[d.runStatus]}
                </span>
              )}
              {d.test && <span className="rounded bg-amber-100 px-1.5 py-0.5 text-amber-900">Test (draft)</span>}
              <time dateTime={d.at} className="text-slate-500">
                <Moment at={d.at} seconds />
              </time>
              {d.runId && (
                <Link href={`/runs/${d.runId}`} className="ml-auto font-medium text-brand-700 hover:underline">
                  Open run
                  <span className="sr-only">
                    {" "}
                    of <Moment at={d.at} seconds />
                  </span>
                </Link>
              )}
            </div>
            {d.error && <p className="mt-1 text-red-700">{d.error}</p>}
            {d.payload && (
              <details className="mt-1">
                <summary className="cursor-pointer text-slate-600">
                  {label === "Recent messages" ? "Message" : "Body"}
                </summary>
                <pre className="mt-1 max-h-32 overflow-auto font-mono break-all whitespace-pre-wrap text-slate-800">
                  {d.payload}
                </pre>
              </details>
            )}
          </li>
        );
      })}
    </ul>
  );
}
