"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { useAliases } from "@/lib/queries/gateway";
import { useSavePolicy } from "@/lib/queries/organization";
import { ApiError } from "@/lib/queries/api-client";
import type { PolicyRules, PolicyView } from "@/lib/schemas/guardrail-policy";
import { piiKinds, piiLabels, type PiiKind } from "@/lib/schemas/node-kinds/guardrail";
import { TryPolicy } from "./try-policy";

const ALL = "";

/** The form's state, as typed (numbers and lists as text until saved). */
interface Draft {
  name: string;
  workspaceId: string;
  enabled: boolean;
  kinds: PiiKind[];
  prompts: boolean;
  answers: boolean;
  phoneCountry: string;
  terms: string;
  injection: boolean;
  maxToolCalls: string;
  /** "Topic: what it covers" per line. */
  topics: string;
  topicModel: string;
}

const draftOf = (p: PolicyView | null): Draft => ({
  name: p?.name ?? "",
  workspaceId: p?.workspaceId ?? ALL,
  enabled: p?.enabled ?? true,
  kinds: p?.rules.pii.kinds ?? ["email", "phone", "card"],
  prompts: p?.rules.pii.prompts ?? true,
  answers: p?.rules.pii.answers ?? true,
  phoneCountry: p?.rules.pii.phoneCountry ?? "US",
  terms: p?.rules.blockedTerms.join("\n") ?? "",
  injection: p?.rules.injection ?? true,
  maxToolCalls: p?.rules.maxToolCalls === null || !p ? "" : String(p.rules.maxToolCalls),
  topics: p?.rules.topics.blocked.map((t) => (t.description ? `${t.name}: ${t.description}` : t.name)).join("\n") ?? "",
  topicModel: p?.rules.topics.model ?? "",
});

const topicsOf = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(":");
      return i < 0 ? { name: l, description: "" } : { name: l.slice(0, i).trim(), description: l.slice(i + 1).trim() };
    });

export const rulesOf = (d: Draft): PolicyRules => ({
  pii: { kinds: d.kinds, prompts: d.prompts, answers: d.answers, phoneCountry: d.phoneCountry.trim().toUpperCase() },
  blockedTerms: d.terms
    .split("\n")
    .map((t) => t.trim())
    .filter(Boolean),
  injection: d.injection,
  maxToolCalls: d.maxToolCalls.trim() === "" ? null : Number(d.maxToolCalls),
  topics: { blocked: topicsOf(d.topics), model: d.topicModel || null },
});

function Check({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="flex items-center gap-2 text-sm text-slate-800">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** Adds or changes a guardrail policy: what it covers, what it does, and a text to try it on. */
export function PolicyForm({
  policy,
  workspaces,
  onDone,
}: {
  policy: PolicyView | null;
  workspaces: { id: string; name: string }[];
  onDone: () => void;
}) {
  const [d, setD] = useState<Draft>(() => draftOf(policy));
  const set = (next: Partial<Draft>) => setD((was) => ({ ...was, ...next }));
  const save = useSavePolicy();
  const models = useAliases("organization");
  // The server names the field (a term too long is `body.rules.blockedTerms.2`: its line is said).
  const fieldError = (name: string) => {
    if (!(save.error instanceof ApiError)) return undefined;
    const f = save.error.fields.find((f) => f.path === `body.${name}` || f.path.startsWith(`body.${name}.`));
    const line = f && /^\.(\d+)/.exec(f.path.slice(`body.${name}`.length));
    return f && (line ? `Line ${Number(line[1]) + 1}: ${f.message}` : f.message);
  };
  const calls = d.maxToolCalls.trim();
  const callsProblem =
    calls !== "" && !(/^\d+$/.test(calls) && Number(calls) <= 100)
      ? "A whole number from 0 to 100, or empty for no limit"
      : undefined;
  const title = policy ? `Change “${policy.name}”` : "New guardrail policy";
  return (
    <form
      aria-label={title}
      noValidate
      className="space-y-4 rounded-xl bg-slate-50 p-4 ring-1 ring-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        if (callsProblem) return;
        save.mutate(
          {
            id: policy?.id ?? null,
            policy: { name: d.name, workspaceId: d.workspaceId || null, enabled: d.enabled, rules: rulesOf(d) },
          },
          { onSuccess: onDone },
        );
      }}
    >
      <h3 className="font-semibold">{title}</h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Name"
          value={d.name}
          onChange={(e) => set({ name: e.target.value })}
          error={fieldError("name")}
        />
        <SelectField
          label="Applies to"
          value={d.workspaceId}
          onChange={(e) => set({ workspaceId: e.target.value })}
          options={[
            { value: ALL, label: "Every workspace (the whole organization)" },
            ...workspaces.map((w) => ({ value: w.id, label: `Only ${w.name}` })),
          ]}
        />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700">Personal data to redact</legend>
        <div className="grid gap-1 sm:grid-cols-2">
          {piiKinds.map((kind) => (
            <Check
              key={kind}
              label={piiLabels[kind]}
              checked={d.kinds.includes(kind)}
              onChange={(on) => set({ kinds: on ? [...d.kinds, kind] : d.kinds.filter((k) => k !== kind) })}
            />
          ))}
        </div>
        <div className="flex flex-wrap gap-4">
          <Check
            label="In prompts, before a provider sees them"
            checked={d.prompts}
            onChange={(prompts) => set({ prompts })}
          />
          <Check
            label="In answers, before the caller sees them"
            checked={d.answers}
            onChange={(answers) => set({ answers })}
          />
        </div>
        <div className="max-w-xs">
          <TextField
            label="Phone numbers without a country code are from"
            value={d.phoneCountry}
            maxLength={2}
            onChange={(e) => set({ phoneCountry: e.target.value })}
            error={fieldError("rules.pii.phoneCountry")}
            hint="Two letters, such as US or GB. A number written with its + code is found whatever this says."
          />
        </div>
      </fieldset>
      <TextAreaField
        label="Blocked terms, one per line"
        hint="A prompt that names one is refused; in an answer, each is redacted."
        rows={3}
        value={d.terms}
        onChange={(e) => set({ terms: e.target.value })}
        error={fieldError("rules.blockedTerms")}
      />
      <div className="grid gap-3 sm:grid-cols-2">
        <TextAreaField
          label="Blocked topics, one per line"
          hint="“Topic: what it covers”. A prompt about one is refused, as the judge model you pick says."
          rows={3}
          value={d.topics}
          placeholder="Investment advice: which stocks, funds or coins to buy or sell"
          onChange={(e) => set({ topics: e.target.value })}
          error={fieldError("rules.topics.blocked")}
        />
        <SelectField
          label="Model that judges topics"
          value={d.topicModel}
          onChange={(e) => {
            set({ topicModel: e.target.value });
            if (fieldError("rules.topics.model")) save.reset();
          }}
          error={fieldError("rules.topics.model")}
          hint={
            models.data?.length === 0
              ? "The organization has no models yet: add a provider and a model under Models and providers first (the built-in demo model cannot judge)."
              : "One of the organization's models; each prompt it judges costs a short call, charged to the caller."
          }
          options={[
            { value: "", label: "None" },
            ...(models.data ?? []).map((m) => ({ value: m.name, label: m.name })),
            // A judge the organization no longer has is shown as it is, not as "None".
            ...(d.topicModel && models.data && !models.data.some((m) => m.name === d.topicModel)
              ? [{ value: d.topicModel, label: `${d.topicModel} (no longer the organization's)` }]
              : []),
          ]}
        />
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-2 pt-6">
          <Check
            label="Withhold tool results that read as instructions to the model"
            checked={d.injection}
            onChange={(injection) => set({ injection })}
          />
          <Check
            label="Policy on: in force for every call it covers"
            checked={d.enabled}
            onChange={(enabled) => set({ enabled })}
          />
        </div>
        <TextField
          label="Most tool calls per agent step"
          type="number"
          min={0}
          max={100}
          value={d.maxToolCalls}
          onChange={(e) => set({ maxToolCalls: e.target.value })}
          error={callsProblem ?? fieldError("rules.maxToolCalls")}
          hint="Past it, the model is called without tools, so it answers. Empty: no limit."
        />
      </div>
      <TryPolicy rules={rulesOf(d)} name={d.name} />
      <div className="flex gap-2">
        <Button type="submit" size="sm" busy={save.isPending}>
          {policy ? "Save changes" : "Add policy"}
        </Button>
        <Button type="button" size="sm" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
      {save.error && !(save.error instanceof ApiError && save.error.fields.length) && (
        <Alert>{save.error.message}</Alert>
      )}
    </form>
  );
}
