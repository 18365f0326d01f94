"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import {
  useDeleteServer,
  useMcpTools,
  useSaveServer,
  useServers,
  useTestServer,
  useUpdateTool,
} from "@/lib/queries/mcp";
import { sameDestination } from "@/lib/schemas/destination";
import type { ServerView, ToolView } from "@/lib/schemas/mcp";
import type { Role } from "@/lib/schemas/identity";

const area =
  "block w-full rounded-md border-0 bg-white px-3 py-2 font-mono text-xs shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500";
const pairs = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf("=");
      return i < 0 ? { name: l, value: "" } : { name: l.slice(0, i).trim(), value: l.slice(i + 1) };
    });

function ServerForm({ server, owner, onDone }: { server?: ServerView; owner: boolean; onDone: () => void }) {
  const save = useSaveServer();
  const [transport, setTransport] = useState<"STDIO" | "HTTP">(server?.transport ?? (owner ? "STDIO" : "HTTP"));
  const [url, setUrl] = useState(server?.url ?? "");
  // Stored header values are only sent where they were entered for (the API refuses otherwise).
  const headersNeededAgain =
    server?.transport === "HTTP" && server.headerNames.length > 0 && !sameDestination(server.url, url.trim());
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <Dialog title={server ? `Edit ${server.name}` : "Add an MCP server"} onClose={onDone} testId="server-dialog">
      <form
        className="space-y-3"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const f = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
          save.mutate(
            {
              id: server?.id,
              name: f.name ?? "",
              transport,
              command: f.command ?? "",
              args: (f.args ?? "")
                .split("\n")
                .map((a) => a.trim())
                .filter(Boolean),
              env: pairs(f.env ?? ""),
              url: f.url ?? "",
              headers: pairs(f.headers ?? ""),
              enabled: true,
            },
            { onSuccess: onDone },
          );
        }}
      >
        {error && !error.fields.length && <Alert>{error.message}</Alert>}
        <TextField
          label="Name"
          name="name"
          defaultValue={server?.name}
          placeholder="files"
          hint="Its tools are named <name>__<tool>."
          error={error?.field("name")}
        />
        <SelectField
          label="Transport"
          value={transport}
          onChange={(e) => setTransport(e.target.value as "STDIO" | "HTTP")}
          options={[
            {
              value: "STDIO",
              label: owner ? "stdio (a command this server starts)" : "stdio (installation owners only)",
              disabled: !owner,
            },
            { value: "HTTP", label: "Streamable HTTP (a URL)" },
          ]}
        />
        {transport === "STDIO" ? (
          <>
            <TextField
              label="Command"
              name="command"
              defaultValue={server?.command}
              placeholder="npx"
              error={error?.field("command")}
            />
            <label className="block space-y-1.5">
              <span className="block text-sm font-medium text-slate-700">Arguments (one per line)</span>
              <textarea
                name="args"
                rows={3}
                className={area}
                defaultValue={server?.args.join("\n")}
                placeholder={"-y\n@modelcontextprotocol/server-filesystem\n/srv/shared"}
                aria-label="Arguments"
              />
            </label>
            <label className="block space-y-1.5">
              <span className="block text-sm font-medium text-slate-700">
                Environment secrets (NAME=value per line)
              </span>
              <textarea
                name="env"
                rows={2}
                className={area}
                defaultValue={server?.envNames.map((n) => `${n}=`).join("\n")}
                placeholder="API_TOKEN=…"
                aria-label="Environment secrets"
              />
              <span className="text-xs text-slate-500">
                Encrypted at rest and never shown again; leave a value empty to keep the stored one.
              </span>
            </label>
          </>
        ) : (
          <>
            <TextField
              label="URL"
              name="url"
              defaultValue={server?.url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="http://localhost:3001/mcp"
              error={error?.field("url")}
            />
            <label className="block space-y-1.5">
              <span className="block text-sm font-medium text-slate-700">Secret headers (Name=value per line)</span>
              <textarea
                name="headers"
                rows={2}
                className={area}
                defaultValue={server?.headerNames.map((n) => `${n}=`).join("\n")}
                placeholder="Authorization=Bearer …"
                aria-label="Secret headers"
              />
              <span className={`text-xs ${headersNeededAgain ? "text-amber-800" : "text-slate-500"}`}>
                {headersNeededAgain
                  ? "The URL changed: enter each value again. Stored values are only sent where they were entered for."
                  : "Encrypted at rest and never shown again; leave a value empty to keep the stored one."}
              </span>
              {error?.field("headers") && <span className="block text-xs text-red-700">{error.field("headers")}</span>}
            </label>
          </>
        )}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" busy={save.isPending}>
            {server ? "Save server" : "Add server"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ServerCard({ server, onEdit }: { server: ServerView; onEdit: () => void }) {
  const test = useTestServer();
  const remove = useDeleteServer();
  const healthy = server.lastPingAt && !server.lastError;
  return (
    <li className="space-y-2 rounded-lg p-4 ring-1 ring-slate-200" data-testid="server-card">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex items-center gap-2 font-medium">
            <span
              className={`size-2 rounded-full ${healthy ? "bg-emerald-500" : server.lastError ? "bg-red-500" : "bg-slate-300"}`}
              aria-hidden
            />
            {server.name}
          </div>
          <div className="truncate font-mono text-xs text-slate-500">
            {server.transport === "STDIO" ? [server.command, ...server.args].join(" ") : server.url}
          </div>
          <div className="text-xs text-slate-500">
            {server.tools} tools ·{" "}
            {server.lastPingAt ? `last reached ${new Date(server.lastPingAt).toLocaleTimeString()}` : "not tested yet"}
            {(server.envNames.length > 0 || server.headerNames.length > 0) &&
              ` · secrets: ${[...server.envNames, ...server.headerNames].join(", ")}`}
          </div>
        </div>
        <div className="flex shrink-0 gap-1">
          <Button variant="secondary" busy={test.isPending} onClick={() => test.mutate(server.id)}>
            Test and discover
          </Button>
          <Button variant="ghost" onClick={onEdit}>
            Edit
          </Button>
          <Button
            variant="ghost"
            onClick={() => window.confirm(`Remove “${server.name}” and its tools?`) && remove.mutate(server.id)}
          >
            Remove
          </Button>
        </div>
      </div>
      {test.data ? (
        <Alert tone={test.data.ok ? "success" : "error"} testId="server-test-result">
          {test.data.message}
        </Alert>
      ) : (
        server.lastError && <Alert testId="server-test-result">{server.lastError}</Alert>
      )}
    </li>
  );
}

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
  const badge = statusBadge[tool.status];
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
        {servers.data?.length === 0 && <p className="text-sm text-slate-500">No MCP servers yet.</p>}
        <ul className="space-y-3">
          {servers.data?.map((s) => (
            <ServerCard key={s.id} server={s} onEdit={() => setEditing(s)} />
          ))}
        </ul>
      </section>
      <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-3 font-semibold">Catalog</h2>
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
