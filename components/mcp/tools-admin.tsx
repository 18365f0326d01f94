"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { useMcpTools, useServers, useUpdateTool } from "@/lib/queries/mcp";
import type { ServerView, ToolView } from "@/lib/schemas/mcp";
import type { Role } from "@/lib/schemas/identity";
import { ServerCard } from "./server-card";
import { ServerForm } from "./server-form";

const ROLES: Role[] = ["ADMIN", "BUILDER", "REVIEWER"];
const statusBadge: Record<ToolView["status"], { text: string; cls: string }> = {
  ready: { text: "ready", cls: "bg-emerald-50 text-emerald-700" },
  changed: { text: "changed: approve to use", cls: "bg-amber-50 text-amber-800" },
  missing: { text: "gone from server", cls: "bg-slate-100 text-slate-600" },
  "server-off": { text: "server off", cls: "bg-slate-100 text-slate-600" },
};

function ToolRow({ tool: saved }: { tool: ToolView }) {
  const update = useUpdateTool();
  // Changes show at once and are saved one after another, in the order they were made.
  const [tool, setTool] = useState(saved);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const save = (patch: Partial<ToolView> & { approve?: boolean }) => {
    const { approve, ...rest } = patch;
    const next = { ...tool, ...rest, ...(approve ? { status: "ready" as const } : {}) };
    setTool(next);
    const body = {
      id: tool.id,
      allowedRoles: next.allowedRoles,
      allowedWorkflowIds: next.allowedWorkflowIds,
      risk: next.risk,
      requiresApproval: next.requiresApproval,
      approve: !!approve,
    };
    queue.current = queue.current.then(() => update.mutateAsync(body)).catch(() => undefined);
  };
  // A ready tool nobody may use yet says so: "ready" alone reads as usable.
  const badge =
    tool.status === "ready" && tool.allowedRoles.length === 0
      ? { text: "allowed to nobody yet", cls: "bg-slate-100 text-slate-700" }
      : statusBadge[tool.status];
  return (
    <tr data-testid="tool-row" data-tool={tool.name}>
      <td className="py-2 pr-3 align-top">
        <div className="font-mono text-xs font-medium">{tool.name}</div>
        <div className="max-w-md text-xs text-slate-500">{tool.description}</div>
      </td>
      <td className="py-2 pr-3 align-top">
        <span className={`rounded px-1.5 py-0.5 text-xs whitespace-nowrap ${badge.cls}`}>{badge.text}</span>
        {tool.status === "changed" && (
          <Button variant="secondary" className="mt-1 !px-2 !py-1 text-xs" onClick={() => save({ approve: true })}>
            Approve new version
          </Button>
        )}
      </td>
      <td className="py-2 pr-3 align-top">
        <div className="flex gap-3 text-xs">
          {ROLES.map((r) => (
            <label key={r} className="flex items-center gap-1">
              <input
                type="checkbox"
                aria-label={`${tool.name} ${r.toLowerCase()}`}
                checked={tool.allowedRoles.includes(r)}
                onChange={(e) =>
                  save({
                    allowedRoles: e.target.checked
                      ? [...tool.allowedRoles, r]
                      : tool.allowedRoles.filter((x) => x !== r),
                  })
                }
              />
              {r.toLowerCase()}
            </label>
          ))}
        </div>
      </td>
      <td className="py-2 pr-3 align-top">
        <select
          aria-label={`${tool.name} risk`}
          className="rounded px-1.5 py-0.5 text-xs ring-1 ring-slate-300"
          value={tool.risk}
          onChange={(e) => save({ risk: e.target.value as ToolView["risk"] })}
        >
          <option value="LOW">low</option>
          <option value="MEDIUM">medium</option>
          <option value="HIGH">high</option>
        </select>
      </td>
      <td className="py-2 align-top">
        <label className="flex items-center gap-1 text-xs">
          <input
            type="checkbox"
            aria-label={`${tool.name} requires approval`}
            checked={tool.requiresApproval}
            onChange={(e) => save({ requiresApproval: e.target.checked })}
          />
          each call
        </label>
        {update.error && <div className="text-xs text-red-700">{update.error.message}</div>}
      </td>
    </tr>
  );
}

/**
 * Admin page: MCP servers, and what each of their tools may be used for. Commands (stdio
 * servers) run on the studio's machine: only installation owners (`owner`) may configure them.
 */
export function ToolsAdmin({ owner }: { owner: boolean }) {
  const servers = useServers();
  const tools = useMcpTools();
  const [editing, setEditing] = useState<ServerView | "new" | null>(null);
  return (
    <div className="space-y-8">
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Tools</h1>
          <p className="text-sm text-slate-600">
            MCP servers and their tools. Nobody may use a tool until you allow a role; a tool whose server changes it is
            off until you approve again.
          </p>
        </div>
        <Link
          href="/admin/tools/audit"
          className="rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50"
        >
          Audit trail
        </Link>
      </div>
      <section className="space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <div className="flex items-center justify-between">
          <h2 className="font-semibold">Servers</h2>
          <Button onClick={() => setEditing("new")}>Add server</Button>
        </div>
        {owner && (
          <p className="text-sm text-slate-600">
            A server several teams need is added once, under{" "}
            <Link href="/organization/tools" className="font-medium text-brand-700 underline">
              Organization → Tool servers
            </Link>
            , and granted to them.
          </p>
        )}
        {servers.data?.length === 0 && <p className="text-sm text-slate-500">No MCP servers yet.</p>}
        <ul className="space-y-3">
          {servers.data?.map((s) => (
            <ServerCard key={s.id} server={s} onEdit={() => setEditing(s)} />
          ))}
        </ul>
      </section>
      <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 className="font-semibold">Catalog</h2>
        <p className="mb-3 text-sm text-slate-600">
          A new tool is allowed to nobody. Its risk starts at what its server says of it (reads only: low; changes
          things: medium; may destroy, or says nothing: high); change it as you judge.
        </p>
        {!tools.data?.length ? (
          <p className="text-sm text-slate-500">Tools appear here once a server is tested.</p>
        ) : (
          <table className="w-full text-sm" data-testid="tool-list">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="py-1 font-medium">Tool</th>
                <th className="py-1 font-medium">Status</th>
                <th className="py-1 font-medium">Who may use it</th>
                <th className="py-1 font-medium">Risk</th>
                <th className="py-1 font-medium">Needs approval</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tools.data.map((t) => (
                <ToolRow key={`${t.id}:${t.status}`} tool={t} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {editing && (
        <ServerForm server={editing === "new" ? undefined : editing} owner={owner} onDone={() => setEditing(null)} />
      )}
    </div>
  );
}
