"use client";

import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useDeletePolicy, usePolicies, useViolations } from "@/lib/queries/organization";
import { GUARDRAIL_KIND_LABELS, type PolicyView } from "@/lib/schemas/guardrail-policy";
import { piiLabels } from "@/lib/schemas/node-kinds/guardrail";
import { OrganizationSpendSection } from "./organization-spend";
import { PolicyForm } from "./policy-form";
import { Moment } from "@/components/ui/moment-text";

/** What a policy does, in a line. */
function summary(p: PolicyView): string {
  const { rules } = p;
  const where = [rules.pii.prompts && "prompts", rules.pii.answers && "answers"].filter(Boolean).join(" and ");
  return [
    rules.pii.kinds.length && where
      ? `redacts ${rules.pii.kinds.map((k) => piiLabels[k].split(" (")[0]!.toLowerCase()).join(", ")} in ${where}`
      : "",
    rules.blockedTerms.length
      ? `blocks ${rules.blockedTerms.length} term${rules.blockedTerms.length > 1 ? "s" : ""}`
      : "",
    rules.topics.blocked.length
      ? `refuses the topic${rules.topics.blocked.length > 1 ? "s" : ""} ${rules.topics.blocked.map((t) => t.name).join(", ")} (judged by ${rules.topics.model})`
      : "",
    rules.injection ? "withholds tool results that read as instructions" : "",
    rules.maxToolCalls !== null ? `at most ${rules.maxToolCalls} tool calls per agent step` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/**
 * The Organization area's first page (installation owners): the organization's budget and spend,
 * guardrail policies on every model call of every workspace, or one's, and what they did lately.
 */
export function OrganizationPage() {
  const policies = usePolicies();
  const violations = useViolations();
  const remove = useDeletePolicy();
  const [editing, setEditing] = useState<PolicyView | "new" | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const list = policies.data?.policies ?? [];
  return (
    <div className="space-y-8">
      <OrganizationSpendSection />
      <section aria-labelledby="policies-title" className="space-y-3">
        <div className="flex items-center justify-between">
          <h2 id="policies-title" className="text-lg font-semibold">
            Guardrail policies
          </h2>
          {editing === null && (
            <Button size="sm" onClick={() => setEditing("new")}>
              New policy
            </Button>
          )}
        </div>
        {policies.error && <Alert>{policies.error.message}</Alert>}
        {editing !== null && (
          <PolicyForm
            key={editing === "new" ? "new" : editing.id}
            policy={editing === "new" ? null : editing}
            workspaces={policies.data?.workspaces ?? []}
            onDone={() => setEditing(null)}
          />
        )}
        {policies.data && !list.length && editing === null && (
          <p className="text-sm text-slate-600">No policy yet: model calls go out as they are asked.</p>
        )}
        <ul aria-label="Policies" className="space-y-2">
          {list.map((p) => (
            <li
              key={p.id}
              className="flex items-start justify-between gap-4 rounded-xl bg-white p-4 ring-1 ring-slate-200"
            >
              <div className="space-y-1">
                <p className="font-medium">
                  {p.name}{" "}
                  <span className={`text-xs font-normal ${p.enabled ? "text-emerald-800" : "text-slate-500"}`}>
                    {p.enabled ? "● on" : "○ off"}
                  </span>
                </p>
                <p className="text-xs text-slate-600">
                  {p.workspaceName ? `Only ${p.workspaceName}` : "Every workspace"} · {summary(p) || "does nothing yet"}
                </p>
              </div>
              {confirming === p.id ? (
                <div className="flex items-center gap-2 text-sm" role="group" aria-label={`Remove ${p.name}?`}>
                  <span>Remove it? It stops applying at once.</span>
                  <Button
                    size="sm"
                    variant="danger"
                    busy={remove.isPending}
                    onClick={() => remove.mutate(p.id, { onSettled: () => setConfirming(null) })}
                  >
                    Yes, remove
                  </Button>
                  <Button size="sm" variant="secondary" onClick={() => setConfirming(null)}>
                    Keep it
                  </Button>
                </div>
              ) : (
                <div className="flex gap-2">
                  <Button size="sm" variant="secondary" onClick={() => setEditing(p)} aria-label={`Change ${p.name}`}>
                    Change
                  </Button>
                  <Button
                    size="sm"
                    variant="secondary"
                    onClick={() => setConfirming(p.id)}
                    aria-label={`Remove ${p.name}`}
                  >
                    Remove
                  </Button>
                </div>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="violations-title" className="space-y-3">
        <h2 id="violations-title" className="text-lg font-semibold">
          What the policies did
        </h2>
        <p className="text-sm text-slate-600">
          The latest 100 actions, in every workspace: what and how many, never the values.
        </p>
        {violations.data && !violations.data.length ? (
          <p className="text-sm text-slate-600">Nothing yet.</p>
        ) : (
          <div className="overflow-x-auto rounded-xl bg-white ring-1 ring-slate-200">
            <table aria-label="Guardrail actions" className="w-full text-left text-sm">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th className="px-3 py-2">When</th>
                  <th className="px-3 py-2">Workspace</th>
                  <th className="px-3 py-2">Policy</th>
                  <th className="px-3 py-2">What</th>
                  <th className="px-3 py-2">Model</th>
                  <th className="px-3 py-2">From</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {(violations.data ?? []).map((v) => (
                  <tr key={v.id}>
                    <td className="px-3 py-1.5 text-xs whitespace-nowrap">
                      <Moment at={v.at} />
                    </td>
                    <td className="px-3 py-1.5">{v.workspaceName}</td>
                    <td className="px-3 py-1.5">{v.policyName}</td>
                    <td className="px-3 py-1.5">
                      {GUARDRAIL_KIND_LABELS[v.kind] ?? v.kind}: {v.detail}
                    </td>
                    <td className="px-3 py-1.5">{v.alias ?? "—"}</td>
                    <td className="px-3 py-1.5">
                      {v.runId ? (
                        <Link href={`/runs/${v.runId}`} className="text-brand-700 underline">
                          a run
                        </Link>
                      ) : v.source === "workflow" ? (
                        "a workflow"
                      ) : (
                        "the API"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
