"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { useTeams } from "@/lib/queries/gateway";
import { auditPath, auditQuery, useToolAudit } from "@/lib/queries/mcp";
import { Moment } from "@/components/ui/moment-text";

/** The most rows the list shows (lib/mcp/admin.ts); the CSV has them all. */
const LIST_LIMIT = 500;

const outcomeStyle: Record<string, string> = {
  ok: "bg-emerald-50 text-emerald-700",
  error: "bg-red-50 text-red-700",
  denied: "bg-amber-50 text-amber-800",
  rejected: "bg-amber-50 text-amber-800",
  awaiting_approval: "bg-sky-50 text-sky-700",
};

/**
 * Every tool call, allowed or not: who, which tool, arguments (secrets redacted), outcome, size,
 * latency. A team's own (admins), or with `organization` every team's, each with its team
 * (installation owners, in the Organization area).
 */
export function ToolAudit({ organization = false }: { organization?: boolean }) {
  const [days, setDays] = useState(7);
  const [outcome, setOutcome] = useState("");
  const [tool, setTool] = useState("");
  const [team, setTeam] = useState("");
  const filters = { days, outcome, tool, ...(organization && { team }) };
  const audit = useToolAudit(filters, organization);
  const Heading = organization ? "h2" : "h1";
  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between gap-4">
        <div>
          <Link
            href={organization ? "/organization/tools" : "/admin/tools"}
            className="text-sm text-brand-700 hover:underline"
          >
            {organization ? "← Tool servers" : "← Tools"}
          </Link>
          <Heading className={organization ? "text-lg font-semibold" : "text-2xl font-semibold tracking-tight"}>
            {organization ? "Tool calls of every team" : "Tool audit trail"}
          </Heading>
          <p className="text-sm text-slate-600">
            {organization
              ? "One row per call in any team, from workflows and agents: allowed, denied, or failed."
              : "One row per call, from workflows and agents: allowed, denied, or failed."}
          </p>
        </div>
        <a
          href={`${auditPath(organization)}?${auditQuery(filters, "csv")}`}
          download
          className="rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50"
        >
          Export CSV
        </a>
      </div>
      <div className="flex flex-wrap gap-3 text-sm">
        {organization && <TeamFilter value={team} onChange={setTeam} />}
        <select
          aria-label="Period"
          className="rounded-md px-2 py-1.5 ring-1 ring-slate-300"
          value={days}
          onChange={(e) => setDays(Number(e.target.value))}
        >
          <option value={1}>Today</option>
          <option value={7}>Last 7 days</option>
          <option value={30}>Last 30 days</option>
        </select>
        <select
          aria-label="Outcome"
          className="rounded-md px-2 py-1.5 ring-1 ring-slate-300"
          value={outcome}
          onChange={(e) => setOutcome(e.target.value)}
        >
          <option value="">Every outcome</option>
          <option value="ok">ok</option>
          <option value="error">error</option>
          <option value="denied">denied</option>
        </select>
        <input
          aria-label="Tool or server"
          placeholder="Tool or server"
          className="rounded-md px-2 py-1.5 ring-1 ring-slate-300"
          value={tool}
          onChange={(e) => setTool(e.target.value)}
        />
      </div>
      {audit.error && <Alert>{audit.error.message}</Alert>}
      {audit.data?.length === LIST_LIMIT && (
        <p className="text-sm text-slate-600">
          The newest {LIST_LIMIT} calls are shown; narrow the filters, or export the CSV for all of them.
        </p>
      )}
      <section className="overflow-x-auto rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
        {!audit.data?.length ? (
          <p className="text-sm text-slate-500">
            {audit.isLoading ? "Loading…" : audit.error ? "" : "No tool calls match."}
          </p>
        ) : (
          <table
            className="w-full text-sm"
            data-testid="audit-list"
            aria-label={organization ? "Tool calls of every team" : "Tool calls"}
          >
            <thead className="text-left text-xs text-slate-500">
              <tr>
                {organization && <th className="py-1 font-medium">Team</th>}
                <th className="py-1 font-medium">Time</th>
                <th className="py-1 font-medium">Who</th>
                <th className="py-1 font-medium">Tool</th>
                <th className="py-1 font-medium">Arguments</th>
                <th className="py-1 font-medium">Outcome</th>
                <th className="py-1 text-right font-medium">Result</th>
                <th className="py-1 text-right font-medium">Latency</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {audit.data.map((r) => (
                <tr key={r.id} data-testid="audit-row">
                  {organization && <td className="py-1.5">{r.team}</td>}
                  <td className="py-1.5 whitespace-nowrap text-slate-600">
                    <Moment at={r.at} seconds />
                  </td>
                  <td className="py-1.5">{r.user}</td>
                  <td className="py-1.5 font-mono text-xs">
                    {r.serverName}__{r.toolName}
                  </td>
                  <td
                    className="max-w-xs truncate py-1.5 font-mono text-xs text-slate-600"
                    title={JSON.stringify(r.arguments)}
                  >
                    {JSON.stringify(r.arguments)}
                  </td>
                  <td className="py-1.5" title={r.error ?? undefined}>
                    <span className={`rounded px-1.5 py-0.5 text-xs ${outcomeStyle[r.outcome] ?? ""}`}>
                      {r.outcome}
                    </span>
                    {r.approver && <span className="ml-1 text-xs text-slate-500">approved by {r.approver}</span>}
                    {r.error && <div className="max-w-sm truncate text-xs text-red-700">{r.error}</div>}
                  </td>
                  <td className="py-1.5 text-right tabular-nums">{r.resultBytes} B</td>
                  <td className="py-1.5 text-right tabular-nums">{r.latencyMs} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function TeamFilter({ value, onChange }: { value: string; onChange: (team: string) => void }) {
  const teams = useTeams();
  return (
    <select
      aria-label="Team"
      className="rounded-md px-2 py-1.5 ring-1 ring-slate-300"
      value={value}
      onChange={(e) => onChange(e.target.value)}
    >
      <option value="">Every team</option>
      {teams.data?.map((t) => (
        <option key={t.id} value={t.id}>
          {t.name}
        </option>
      ))}
    </select>
  );
}
