"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useAliases, useDeleteAlias, type GatewayScope } from "@/lib/queries/gateway";
import type { AliasView } from "@/lib/schemas/gateway";
import { ModelDialog } from "./model-dialog";
import { useConfirm } from "@/components/ui/confirm";

const money = (n: number) => (n ? `$${n}` : "free");

/**
 * Model aliases: the names builders pick, where their calls go, what they cost, who may use them;
 * the organization's (granted to teams under Teams) or a team's own.
 */
export function ModelsSection({ scope = "workspace" }: { scope?: GatewayScope }) {
  const confirm = useConfirm();
  const aliases = useAliases(scope);
  const remove = useDeleteAlias(scope);
  const [editing, setEditing] = useState<AliasView | "new" | null>(null);
  const custom = aliases.data ?? [];
  const empty = aliases.data?.length === 0;
  return (
    <section className="space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-center justify-between">
        <div>
          <h2 className="font-semibold">{scope === "organization" ? "Models" : "This workspace's own models"}</h2>
          <p className="text-sm text-slate-600">
            {scope === "organization"
              ? "Each sends its calls to one or more deployments of the providers above. A model is used by the teams it is granted to: grant it under Teams."
              : "The names builders pick in Agent steps. Each sends its calls to one or more deployments."}
          </p>
        </div>
        <Button onClick={() => setEditing("new")}>New model</Button>
      </div>
      <table className="w-full text-sm" data-testid="model-list">
        <thead className="border-b border-slate-100 text-left text-xs text-slate-500">
          <tr>
            <th className="py-2 font-medium">Name</th>
            <th className="py-2 font-medium">Deployments</th>
            <th className="py-2 font-medium">Price in / out (per M tokens)</th>
            <th className="py-2 font-medium">{scope === "organization" ? "Who, by default" : "Who"}</th>
            <th />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {custom.map((a) => (
            <tr key={a.id} data-testid="model-row">
              <td className="py-2 font-medium">
                {a.name}
                {a.cacheTtlSeconds > 0 && (
                  <span className="ml-2 rounded bg-sky-50 px-1.5 py-0.5 text-xs text-sky-700">
                    cached {a.cacheTtlSeconds}s
                  </span>
                )}
                {a.description && <div className="text-xs font-normal text-slate-500">{a.description}</div>}
              </td>
              <td className="py-2 text-slate-600">
                {a.deployments.map((d) => (
                  <div key={d.id}>
                    {d.providerName} · <span className="font-mono text-xs">{d.modelId}</span>{" "}
                    {d.weight === 0 ? (
                      <span className="text-xs text-slate-500">(fallback)</span>
                    ) : (
                      <span className="text-xs text-slate-500">(weight {d.weight})</span>
                    )}
                    {d.coolingDown && (
                      <span className="ml-1 rounded bg-amber-50 px-1 text-xs text-amber-700">cooling down</span>
                    )}
                  </div>
                ))}
              </td>
              <td className="py-2 text-slate-600">
                {money(a.inputPricePerMTok)} / {money(a.outputPricePerMTok)}
              </td>
              <td className="py-2 text-slate-600">
                {a.allowedRoles.map((r) => r.toLowerCase()).join(", ") || "no role"}
                {a.allowedUserIds.length > 0 &&
                  ` + ${a.allowedUserIds.length} ${a.allowedUserIds.length === 1 ? "person" : "people"}`}
              </td>
              <td className="py-2 text-right whitespace-nowrap">
                <Button variant="ghost" onClick={() => setEditing(a)}>
                  Edit
                </Button>
                <Button
                  variant="ghost"
                  onClick={async () => {
                    const yes = await confirm({
                      title: `Delete the model “${a.name}”?`,
                      message:
                        scope === "organization"
                          ? "Every team it is granted to loses it, and their Agent steps using it will fail until they pick another."
                          : "Agent steps using it will fail until they pick another.",
                      action: "Delete",
                    });
                    if (yes) remove.mutate(a.id);
                  }}
                >
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {empty && (
        <p className="text-sm text-slate-500">
          {scope === "organization"
            ? "No models yet: add a provider above, then a model that sends its calls there, then grant it to teams under Teams."
            : "No models of this workspace's own yet."}
        </p>
      )}
      {remove.error && <p className="text-sm text-red-700">{remove.error.message}</p>}
      {editing && (
        <ModelDialog alias={editing === "new" ? undefined : editing} scope={scope} onDone={() => setEditing(null)} />
      )}
    </section>
  );
}
