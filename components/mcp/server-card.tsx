"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useTeams } from "@/lib/queries/gateway";
import { type ServerScope, useDeleteServer, useSetServerTeams, useTestServer } from "@/lib/queries/mcp";
import type { ServerView } from "@/lib/schemas/mcp";
import { useConfirm } from "@/components/ui/confirm";
import { Moment } from "@/components/ui/moment-text";

/** Which teams have an organization server: one checkbox per team, saved together. */
function GrantedTeams({ server }: { server: ServerView }) {
  const teams = useTeams();
  const save = useSetServerTeams();
  const [chosen, setChosen] = useState(() => new Set((server.teams ?? []).map((t) => t.id)));
  const saved = new Set((server.teams ?? []).map((t) => t.id));
  const changed = chosen.size !== saved.size || [...chosen].some((id) => !saved.has(id));
  return (
    <form
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ id: server.id, workspaceIds: [...chosen] });
      }}
    >
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Granted to</legend>
        {teams.data?.length === 0 && <p className="text-xs text-slate-500">No teams yet.</p>}
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {teams.data?.map((t) => (
            <label key={t.id} className="flex items-center gap-1.5">
              <input
                type="checkbox"
                checked={chosen.has(t.id)}
                onChange={(e) => {
                  const next = new Set(chosen);
                  if (e.target.checked) next.add(t.id);
                  else next.delete(t.id);
                  setChosen(next);
                }}
              />
              {t.name}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" size="sm" variant="secondary" busy={save.isPending} disabled={!changed}>
          Save teams
        </Button>
        <span className="text-xs text-slate-500">
          Each team&rsquo;s admins then say who in the team may use each tool; nobody may until they do.
        </span>
      </div>
      {save.error && <Alert testId="server-teams-result">{save.error.message}</Alert>}
      {save.data && (
        <Alert tone="success" testId="server-teams-result">
          {save.data.message}
        </Alert>
      )}
    </form>
  );
}

/**
 * One MCP server: what it runs or reaches, its health, its secrets' names. The owner of its scope
 * tests, edits and removes it; a team sees the organization's servers granted to it read-only.
 */
export function ServerCard({
  server,
  scope = "workspace",
  onEdit,
}: {
  server: ServerView;
  scope?: ServerScope;
  onEdit: () => void;
}) {
  const confirm = useConfirm();
  const test = useTestServer(scope);
  const remove = useDeleteServer(scope);
  const healthy = server.lastPingAt && !server.lastError;
  const granted = scope === "workspace" && server.organization;
  return (
    <li className="space-y-2 rounded-lg p-4 ring-1 ring-slate-200" data-testid="server-card" aria-label={server.name}>
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex items-center gap-2 font-medium">
            <span
              className={`size-2 rounded-full ${healthy ? "bg-emerald-500" : server.lastError ? "bg-red-500" : "bg-slate-300"}`}
              aria-hidden
            />
            {server.name}
            {granted && (
              <span className="rounded bg-brand-50 px-1.5 py-0.5 text-xs font-normal text-brand-700">
                from the organization
              </span>
            )}
          </div>
          {!granted && (
            <div className="truncate font-mono text-xs text-slate-500">
              {server.transport === "STDIO" ? [server.command, ...server.args].join(" ") : server.url}
            </div>
          )}
          <div className="text-xs text-slate-500">
            {server.tools} tools ·{" "}
            {server.lastError ? (
              "failed at its last test or call"
            ) : server.lastPingAt ? (
              <>
                connected, last reached <Moment at={server.lastPingAt} seconds />
              </>
            ) : (
              "not tested yet"
            )}
            {(server.envNames.length > 0 || server.headerNames.length > 0) &&
              ` · secrets: ${[...server.envNames, ...server.headerNames].join(", ")}`}
            {!server.enabled && " · switched off"}
          </div>
          {granted && (
            <p className="text-xs text-slate-600">
              Granted by the organization, which runs it for every team it is granted to (one process: what the server
              keeps, it keeps for all of them). An installation owner changes or tests it under Organization → Tool
              servers; you say who in the team may use its tools, below.
            </p>
          )}
        </div>
        {!granted && (
          <div className="flex shrink-0 gap-1">
            <Button variant="secondary" busy={test.isPending} onClick={() => test.mutate(server.id)}>
              Test and discover
            </Button>
            <Button variant="ghost" onClick={onEdit}>
              Edit
            </Button>
            <Button
              variant="ghost"
              onClick={async () => {
                const yes = await confirm({
                  title: `Remove “${server.name}”?`,
                  message:
                    scope === "organization"
                      ? "Its tools go from every team it is granted to."
                      : "Its tools go with it; steps using them will fail.",
                  action: "Remove",
                });
                if (yes) remove.mutate(server.id);
              }}
            >
              Remove
            </Button>
          </div>
        )}
      </div>
      {test.data ? (
        <Alert tone={test.data.ok ? "success" : "error"} testId="server-test-result">
          {test.data.message}
        </Alert>
      ) : (
        server.lastError && <Alert testId="server-test-result">{server.lastError}</Alert>
      )}
      {scope === "organization" && <GrantedTeams server={server} />}
    </li>
  );
}
