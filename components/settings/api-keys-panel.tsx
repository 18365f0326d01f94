"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useApiKeys, useCreateApiKey, useRevokeApiKey } from "@/lib/queries/api-keys";
import { useConfirm } from "@/components/ui/confirm";
import { revokeQuestion } from "./revoke-question";
import { Moment } from "@/components/ui/moment-text";

const when = (iso: string | null) => (iso ? <Moment at={iso} /> : "never");

/** Personal API keys: make one (shown once, with a copy button), see when each was last used, revoke. */
export function ApiKeysPanel({ workspaceName, origin }: { workspaceName: string; origin: string }) {
  const confirm = useConfirm();
  const keys = useApiKeys();
  const create = useCreateApiKey();
  const revoke = useRevokeApiKey();
  const [name, setName] = useState("");
  const [made, setMade] = useState<{ name: string; key: string } | null>(null);
  const error = create.error instanceof ApiError ? create.error : null;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">API keys</h1>
        <p className="text-sm text-slate-600">
          Keys let scripts and other systems start and follow runs in {workspaceName} as you, with your role. Treat a
          key like a password.
        </p>
      </div>

      {made && (
        <section className="space-y-3 rounded-xl bg-emerald-50 p-5 ring-1 ring-emerald-200" data-testid="new-api-key">
          <h2 className="font-semibold text-emerald-900">
            Copy your new key “{made.name}” now: it will not be shown again.
          </h2>
          <CopyField value={made.key} label="Your new API key" confirmation="API key copied" testId="api-key-value" />
          <p className="text-xs text-emerald-900">
            Start a run:{" "}
            <code className="font-mono">
              curl -X POST {origin}/api/workflows/&lt;workflow id&gt;/runs -H &quot;Authorization: Bearer
              &lt;key&gt;&quot; -H &quot;Content-Type: application/json&quot; -d &apos;{"{"}&quot;input&quot;: {"{"}…
              {"}"}
              {"}"}&apos;
            </code>
          </p>
          <Button variant="ghost" onClick={() => setMade(null)}>
            Done
          </Button>
        </section>
      )}

      <div className="grid gap-8 lg:grid-cols-[1fr_20rem]">
        <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
          {keys.isLoading ? (
            <p className="p-5 text-sm text-slate-500">Loading…</p>
          ) : !keys.data?.length ? (
            <p className="p-5 text-sm text-slate-500" data-testid="api-keys-empty">
              No keys yet. Make one for each script or system, so you can revoke one without breaking the others.
            </p>
          ) : (
            <table className="w-full text-sm" data-testid="api-key-list">
              <thead className="border-b border-slate-100 text-left text-xs text-slate-500">
                <tr>
                  <th className="px-5 py-2 font-medium">Name</th>
                  <th className="px-3 py-2 font-medium">Key</th>
                  <th className="px-3 py-2 font-medium">Created</th>
                  <th className="px-3 py-2 font-medium">Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.data.map((k) => (
                  <tr key={k.id} data-testid="api-key-row">
                    <td className="px-5 py-2 font-medium">{k.name}</td>
                    <td className="px-3 py-2 font-mono text-xs text-slate-600">{k.prefix}</td>
                    <td className="px-3 py-2 text-slate-600">{when(k.createdAt)}</td>
                    <td className="px-3 py-2 text-slate-600" data-testid="api-key-last-used">
                      {when(k.lastUsedAt)}
                    </td>
                    <td className="px-3 py-2 text-right">
                      <Button
                        variant="danger"
                        busy={revoke.isPending && revoke.variables === k.id}
                        onClick={async () => {
                          const yes = await confirm(revokeQuestion(k.name));
                          if (yes) revoke.mutate(k.id);
                        }}
                      >
                        Revoke
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>

        <form
          aria-label="New personal key"
          className="space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(
              { name },
              {
                onSuccess: (k) => {
                  setMade({ name: k.name, key: k.key });
                  setName("");
                },
              },
            );
          }}
        >
          <h2 className="font-semibold">New key</h2>
          <TextField
            label="Name"
            placeholder="CI pipeline"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={error?.field("name")}
          />
          {error && !error.field("name") && <Alert>{error.message}</Alert>}
          <Button type="submit" busy={create.isPending}>
            Create key
          </Button>
        </form>
      </div>
    </div>
  );
}
