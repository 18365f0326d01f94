"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ApiError } from "@/lib/queries/api-client";
import { useAliases, useDeleteAlias, useProviders, useSaveAlias } from "@/lib/queries/gateway";
import { useMembers } from "@/lib/queries/members";
import type { AliasInput, AliasView, DeploymentInput } from "@/lib/schemas/gateway";
import type { Role } from "@/lib/schemas/identity";

const input =
  "block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-brand-500 aria-invalid:ring-red-400";
const label = "block text-xs font-medium text-slate-600";
const ROLES: Role[] = ["ADMIN", "BUILDER", "REVIEWER"];

const blank = (): AliasInput => ({
  name: "",
  description: "",
  inputPricePerMTok: 0,
  outputPricePerMTok: 0,
  contextWindow: 128_000,
  maxOutputTokens: 1000,
  supportsTools: true,
  supportsStructured: true,
  allowedRoles: ["ADMIN", "BUILDER"],
  allowedUserIds: [],
  cacheTtlSeconds: 0,
  deployments: [],
});

const numberOrNull = (v: string) => (v.trim() === "" ? null : Number(v));

function Num({
  text,
  value,
  onChange,
  step,
  error,
  testId,
}: {
  text: string;
  value: number | null;
  onChange: (v: number | null) => void;
  step?: string;
  error?: string;
  testId?: string;
}) {
  return (
    <label className="space-y-1">
      <span className={label}>{text}</span>
      <input
        type="number"
        step={step ?? "1"}
        min="0"
        className={input}
        value={value ?? ""}
        aria-invalid={!!error || undefined}
        data-testid={testId}
        onChange={(e) => onChange(numberOrNull(e.target.value))}
      />
      {error && <span className="block text-xs text-red-600">{error}</span>}
    </label>
  );
}

function AliasForm({ alias, onDone }: { alias?: AliasView; onDone: () => void }) {
  const providers = useProviders();
  const members = useMembers();
  const save = useSaveAlias();
  const [form, setForm] = useState<AliasInput>(() =>
    alias
      ? {
          ...alias,
          deployments: alias.deployments.map(({ providerId, modelId, weight, rpmLimit, tpmLimit, timeoutSeconds }) => ({
            providerId,
            modelId,
            weight,
            rpmLimit,
            tpmLimit,
            timeoutSeconds,
          })),
        }
      : blank(),
  );
  const error = save.error instanceof ApiError ? save.error : null;
  const fieldError = (path: string) => error?.fields.find((f) => f.path === `body.${path}`)?.message;
  const set = (patch: Partial<AliasInput>) => setForm((f) => ({ ...f, ...patch }));
  const setDeployment = (i: number, patch: Partial<DeploymentInput>) =>
    set({ deployments: form.deployments.map((d, j) => (j === i ? { ...d, ...patch } : d)) });
  const firstProvider = providers.data?.[0]?.id ?? "";

  return (
    <div
      className="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-slate-900/30 p-6"
      onMouseDown={onDone}
    >
      <form
        role="dialog"
        aria-label={alias ? `Edit model ${alias.name}` : "New model"}
        data-testid="model-dialog"
        className="w-full max-w-3xl space-y-5 rounded-xl bg-white p-6 shadow-2xl ring-1 ring-slate-200"
        onMouseDown={(e) => e.stopPropagation()}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ ...form, id: alias?.id }, { onSuccess: onDone });
        }}
      >
        <h2 className="text-base font-semibold">{alias ? `Edit model “${alias.name}”` : "New model"}</h2>
        {error && <Alert>{error.message}</Alert>}
        <div className="grid grid-cols-2 gap-4">
          <label className="space-y-1">
            <span className={label}>Name builders pick</span>
            <input
              className={input}
              value={form.name}
              placeholder="fast"
              aria-invalid={!!fieldError("name") || undefined}
              onChange={(e) => set({ name: e.target.value })}
              aria-label="Model name"
            />
            {fieldError("name") && <span className="block text-xs text-red-600">{fieldError("name")}</span>}
          </label>
          <label className="space-y-1">
            <span className={label}>Description</span>
            <input
              className={input}
              value={form.description}
              placeholder="Quick and cheap, for drafts"
              onChange={(e) => set({ description: e.target.value })}
            />
          </label>
        </div>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Deployments</legend>
          <p className="text-xs text-slate-500">
            Calls go to one of the deployments with a weight above 0 (drawn by weight); when it fails before answering,
            the others follow in this order. Weight 0: fallback only.
          </p>
          {fieldError("deployments") && <p className="text-xs text-red-600">{fieldError("deployments")}</p>}
          {providers.data?.length === 0 && (
            <Alert tone="info">Add a provider first: deployments send calls to a provider&apos;s model.</Alert>
          )}
          <ol className="space-y-2">
            {form.deployments.map((d, i) => (
              <li
                key={i}
                className="grid grid-cols-[1.3fr_1.3fr_0.6fr_0.7fr_0.7fr_0.7fr_auto] items-end gap-2 rounded-lg bg-slate-50 p-2"
                data-testid="deployment-row"
              >
                <label className="space-y-1">
                  <span className={label}>Provider</span>
                  <select
                    className={input}
                    value={d.providerId}
                    onChange={(e) => setDeployment(i, { providerId: e.target.value })}
                    aria-label={`Deployment ${i + 1} provider`}
                  >
                    {providers.data?.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="space-y-1">
                  <span className={label}>Provider&apos;s model</span>
                  <input
                    className={input}
                    value={d.modelId}
                    placeholder="gpt-4o-mini"
                    onChange={(e) => setDeployment(i, { modelId: e.target.value })}
                    aria-label={`Deployment ${i + 1} model`}
                    aria-invalid={!!fieldError(`deployments.${i}.modelId`) || undefined}
                  />
                </label>
                <Num text="Weight" value={d.weight} onChange={(v) => setDeployment(i, { weight: v ?? 0 })} />
                <Num
                  text="Timeout s"
                  value={d.timeoutSeconds}
                  onChange={(v) => setDeployment(i, { timeoutSeconds: v ?? 60 })}
                />
                <Num text="Req/min" value={d.rpmLimit} onChange={(v) => setDeployment(i, { rpmLimit: v })} />
                <Num text="Tokens/min" value={d.tpmLimit} onChange={(v) => setDeployment(i, { tpmLimit: v })} />
                <div className="flex gap-1">
                  <Button
                    type="button"
                    variant="ghost"
                    disabled={i === 0}
                    aria-label="Move up"
                    onClick={() =>
                      set({
                        deployments: form.deployments.map((x, j) =>
                          j === i - 1 ? d : j === i ? form.deployments[i - 1]! : x,
                        ),
                      })
                    }
                  >
                    ↑
                  </Button>
                  <Button
                    type="button"
                    variant="ghost"
                    aria-label="Remove deployment"
                    onClick={() => set({ deployments: form.deployments.filter((_, j) => j !== i) })}
                  >
                    ✕
                  </Button>
                </div>
              </li>
            ))}
          </ol>
          <Button
            type="button"
            variant="secondary"
            disabled={!firstProvider}
            onClick={() =>
              set({
                deployments: [
                  ...form.deployments,
                  {
                    providerId: firstProvider,
                    modelId: "",
                    weight: form.deployments.length ? 0 : 1,
                    rpmLimit: null,
                    tpmLimit: null,
                    timeoutSeconds: 60,
                  },
                ],
              })
            }
          >
            Add deployment
          </Button>
        </fieldset>

        <div className="grid grid-cols-4 gap-4">
          <Num
            text="Input $ / million tokens"
            step="0.01"
            value={form.inputPricePerMTok}
            onChange={(v) => set({ inputPricePerMTok: v ?? 0 })}
            testId="price-input"
          />
          <Num
            text="Output $ / million tokens"
            step="0.01"
            value={form.outputPricePerMTok}
            onChange={(v) => set({ outputPricePerMTok: v ?? 0 })}
            testId="price-output"
          />
          <Num
            text="Context window (tokens)"
            value={form.contextWindow}
            onChange={(v) => set({ contextWindow: v ?? 128_000 })}
          />
          <Num
            text="Output limit per call (tokens)"
            value={form.maxOutputTokens}
            onChange={(v) => set({ maxOutputTokens: v ?? 1000 })}
          />
          <Num
            text="Cache answers (seconds, 0 = off)"
            value={form.cacheTtlSeconds}
            onChange={(v) => set({ cacheTtlSeconds: v ?? 0 })}
          />
        </div>
        <div className="flex gap-6 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={form.supportsTools}
              onChange={(e) => set({ supportsTools: e.target.checked })}
            />{" "}
            Can call tools
          </label>
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={form.supportsStructured}
              onChange={(e) => set({ supportsStructured: e.target.checked })}
            />{" "}
            Structured output
          </label>
        </div>

        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Who may use it</legend>
          <div className="flex gap-6 text-sm">
            {ROLES.map((r) => (
              <label key={r} className="flex items-center gap-2">
                <input
                  type="checkbox"
                  checked={form.allowedRoles.includes(r)}
                  onChange={(e) =>
                    set({
                      allowedRoles: e.target.checked
                        ? [...form.allowedRoles, r]
                        : form.allowedRoles.filter((x) => x !== r),
                    })
                  }
                />
                Every {r.toLowerCase()}
              </label>
            ))}
          </div>
          {!!members.data?.length && (
            <details className="text-sm">
              <summary className="cursor-pointer text-slate-600">
                And these people ({form.allowedUserIds.length})
              </summary>
              <div className="mt-2 grid grid-cols-2 gap-1">
                {members.data.map((m) => (
                  <label key={m.userId} className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      checked={form.allowedUserIds.includes(m.userId)}
                      onChange={(e) =>
                        set({
                          allowedUserIds: e.target.checked
                            ? [...form.allowedUserIds, m.userId]
                            : form.allowedUserIds.filter((x) => x !== m.userId),
                        })
                      }
                    />
                    {m.name} <span className="text-xs text-slate-500">({m.role.toLowerCase()})</span>
                  </label>
                ))}
              </div>
            </details>
          )}
        </fieldset>

        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" busy={save.isPending}>
            {alias ? "Save model" : "Create model"}
          </Button>
        </div>
      </form>
    </div>
  );
}

const money = (n: number) => (n ? `$${n}` : "free");

/** Model aliases: the names builders pick, where their calls go, what they cost, who may use them. */
export function ModelsSection() {
  const aliases = useAliases();
  const remove = useDeleteAlias();
  const [editing, setEditing] = useState<AliasView | "new" | null>(null);
  const custom = aliases.data ?? [];
  return (
    <section className="space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <div className="flex items-center justify-between">
        <div>
          <h2 className="font-semibold">Models</h2>
          <p className="text-sm text-slate-600">
            The names builders pick in Agent steps. Each sends its calls to one or more deployments.
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
            <th className="py-2 font-medium">Who</th>
            <th />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {!custom.some((a) => a.name === "demo") && (
            <tr data-testid="model-row">
              <td className="py-2 font-medium">demo</td>
              <td className="py-2 text-slate-600">Built-in simulated model (no key; answers say they are simulated)</td>
              <td className="py-2 text-slate-600">free</td>
              <td className="py-2 text-slate-600">everyone</td>
              <td />
            </tr>
          )}
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
                  onClick={() =>
                    window.confirm(
                      `Delete the model “${a.name}”? Agent steps using it will fail until they pick another.`,
                    ) && remove.mutate(a.id)
                  }
                >
                  Delete
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {editing && <AliasForm alias={editing === "new" ? undefined : editing} onDone={() => setEditing(null)} />}
    </section>
  );
}
