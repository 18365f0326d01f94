"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ServerCard } from "@/components/mcp/server-card";
import { ServerForm } from "@/components/mcp/server-form";
import { useServers } from "@/lib/queries/mcp";
import type { ServerView } from "@/lib/schemas/mcp";

/**
 * Organization → Tool servers: MCP servers added once (stdio commands run on the studio's
 * machine, so only here and by installation owners) and granted to teams. One process serves
 * every team; each team's admins say who may use each tool.
 */
export function ToolServersSection() {
  const servers = useServers("organization");
  const [editing, setEditing] = useState<ServerView | "new" | null>(null);
  return (
    <section aria-labelledby="tool-servers-title" className="space-y-3">
      <div className="flex items-end justify-between gap-4">
        <div>
          <h2 id="tool-servers-title" className="text-lg font-semibold">
            Tool servers
          </h2>
          <p className="text-sm text-slate-600">
            MCP servers for the whole organization. Grant each to the teams that need it: its tools join their catalog,
            allowed to nobody until the team&rsquo;s admins choose who may use them.
          </p>
        </div>
        <div className="flex items-center gap-3">
          <Link href="/organization/tools/audit" className="text-sm font-medium text-brand-700 hover:underline">
            Tool calls of every team
          </Link>
          <Button onClick={() => setEditing("new")}>Add tool server</Button>
        </div>
      </div>
      {servers.error && <Alert>{servers.error.message}</Alert>}
      {servers.data?.length === 0 && (
        <p className="text-sm text-slate-500">The organization has no tool servers yet.</p>
      )}
      <ul aria-label="Tool servers" className="space-y-3 rounded-xl bg-white p-4 ring-1 ring-slate-200 empty:hidden">
        {servers.data?.map((s) => (
          <ServerCard key={s.id} server={s} scope="organization" onEdit={() => setEditing(s)} />
        ))}
      </ul>
      {editing && (
        <ServerForm
          server={editing === "new" ? undefined : editing}
          owner
          scope="organization"
          onDone={() => setEditing(null)}
        />
      )}
    </section>
  );
}
