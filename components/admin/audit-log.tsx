"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { SelectField } from "@/components/ui/field";
import { Moment } from "@/components/ui/moment-text";
import { useAuditLog } from "@/lib/queries/audit-log";
import { AUDIT_LOG_LIMIT, AUDIT_LOG_TOPICS, type AuditLogTopic } from "@/lib/schemas/audit-log";

/**
 * The workspace's audit log: who changed what (people, keys, secrets, destinations, models,
 * tools, workflows, reviews) and every HTTP request its workflows sent, newest first.
 */
export function AuditLog({ workspaceName, topic: initialTopic }: { workspaceName: string; topic?: AuditLogTopic }) {
  const [days, setDays] = useState(7);
  const [topic, setTopic] = useState<AuditLogTopic | "">(initialTopic ?? "");
  const log = useAuditLog({ days, topic });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Audit log</h1>
        <p className="text-sm text-slate-600">
          Who changed what in {workspaceName}, and every HTTP request its workflows sent, newest first. Secrets are
          never written here. Tool calls have{" "}
          <Link href="/admin/tools/audit" className="font-medium text-brand-700 underline">
            a trail of their own
          </Link>
          ; model calls are on{" "}
          <Link href="/admin/usage" className="font-medium text-brand-700 underline">
            Usage
          </Link>
          .
        </p>
      </div>
      <div className="flex flex-wrap gap-3">
        <div className="w-48">
          <SelectField
            label="Period"
            value={String(days)}
            onChange={(e) => setDays(Number(e.target.value))}
            options={[
              { value: "1", label: "Last 24 hours" },
              { value: "7", label: "Last 7 days" },
              { value: "30", label: "Last 30 days" },
              { value: "365", label: "Last year" },
            ]}
          />
        </div>
        <div className="w-80">
          <SelectField
            label="About"
            value={topic}
            onChange={(e) => setTopic(e.target.value as AuditLogTopic | "")}
            options={[
              { value: "", label: "Everything" },
              ...Object.entries(AUDIT_LOG_TOPICS).map(([key, t]) => ({ value: key, label: t.label })),
            ]}
          />
        </div>
      </div>
      {log.error && <Alert>{log.error.message}</Alert>}
      {log.data?.length === AUDIT_LOG_LIMIT && (
        <p className="text-sm text-slate-600">
          The newest {AUDIT_LOG_LIMIT} entries are shown: choose a shorter period or one topic.
        </p>
      )}
      <section className="overflow-x-auto rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        {!log.data?.length ? (
          <p className="text-sm text-slate-600">
            {log.isLoading ? "Loading…" : log.error ? "" : "Nothing was recorded in this period."}
          </p>
        ) : (
          <table className="w-full text-sm" aria-label="Audit log entries">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="py-1 pr-3 font-medium">When</th>
                <th className="py-1 pr-3 font-medium">Who</th>
                <th className="py-1 pr-3 font-medium">What</th>
                <th className="py-1 font-medium">Details</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 align-top">
              {log.data.map((r) => (
                <tr key={r.id} data-testid="audit-log-row">
                  <td className="py-1.5 pr-3 whitespace-nowrap text-slate-600">
                    <Moment at={r.at} seconds />
                  </td>
                  <td className="py-1.5 pr-3 whitespace-nowrap">{r.actor}</td>
                  <td className="py-1.5 pr-3">
                    {r.href ? (
                      <Link href={r.href} className="text-brand-700 underline">
                        {r.what}
                      </Link>
                    ) : (
                      r.what
                    )}
                  </td>
                  <td className="py-1.5 font-mono text-xs break-all text-slate-700">
                    {r.details.length ? (
                      <ul>
                        {r.details.map((d, i) => (
                          <li key={i}>{d}</li>
                        ))}
                      </ul>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
