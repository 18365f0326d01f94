"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { type ServerScope, useSaveServer } from "@/lib/queries/mcp";
import { sameDestination } from "@/lib/schemas/destination";
import type { ServerView } from "@/lib/schemas/mcp";

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

/** Adding or changing an MCP server of a scope; secret values are never shown again. */
export function ServerForm({
  server,
  owner,
  scope = "workspace",
  onDone,
}: {
  server?: ServerView;
  owner: boolean;
  scope?: ServerScope;
  onDone: () => void;
}) {
  const save = useSaveServer(scope);
  const [transport, setTransport] = useState<"STDIO" | "HTTP">(server?.transport ?? (owner ? "STDIO" : "HTTP"));
  const [url, setUrl] = useState(server?.url ?? "");
  // Stored header values are only sent where they were entered for (the API refuses otherwise).
  const headersNeededAgain =
    server?.transport === "HTTP" && server.headerNames.length > 0 && !sameDestination(server.url, url.trim());
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <Dialog
      title={
        server
          ? `Edit ${server.name}`
          : scope === "organization"
            ? "Add a tool server for the organization"
            : "Add an MCP server"
      }
      onClose={onDone}
      testId="server-dialog"
    >
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
                {server
                  ? "Encrypted at rest and never shown again; leave a value empty to keep the stored one."
                  : "Encrypted at rest and never shown again."}
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
                  : server
                    ? "Encrypted at rest and never shown again; leave a value empty to keep the stored one."
                    : "Encrypted at rest and never shown again."}
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
