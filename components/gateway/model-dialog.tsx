"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ApiError } from "@/lib/queries/api-client";
import { useProviders, useSaveAlias, type GatewayScope } from "@/lib/queries/gateway";
import { useMembers } from "@/lib/queries/members";
import type { AliasInput, AliasView } from "@/lib/schemas/gateway";
import type { Role } from "@/lib/schemas/identity";
import { DeploymentsFieldset } from "./deployments-fieldset";
import { fieldInput, fieldLabel, Num } from "./model-fields";

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

/** A model alias, new or edited: its name, deployments, prices, limits and who may use it. */
export function ModelDialog({
  alias,
  onDone,
  scope = "workspace",
}: {
  alias?: AliasView;
  onDone: () => void;
  scope?: GatewayScope;
}) {
  const providers = useProviders(scope);
  const members = useMembers();
  const save = useSaveAlias(scope);
  // An organization model names roles only: people are named on each team's grant.
  const organization = scope === "organization";
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

  return (
    <Dialog
      title={alias ? `Edit model “${alias.name}”` : "New model"}
      onClose={onDone}
      testId="model-dialog"
      width="xl"
    >
      <form
        className="space-y-5"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          // An organization model names no people (each team's grant does).
          save.mutate(
            { ...form, allowedUserIds: organization ? [] : form.allowedUserIds, id: alias?.id },
            { onSuccess: onDone },
          );
        }}
      >
        {error && !error.fields.length && <Alert>{error.message}</Alert>}
        <div className="grid grid-cols-2 gap-4">
          <label className="space-y-1">
            <span className={fieldLabel}>Name builders pick</span>
            <input
              className={fieldInput}
              value={form.name}
              placeholder="fast"
              aria-invalid={!!fieldError("name") || undefined}
              onChange={(e) => set({ name: e.target.value })}
              aria-label="Model name"
            />
            {fieldError("name") && <span className="block text-xs text-red-600">{fieldError("name")}</span>}
          </label>
          <label className="space-y-1">
            <span className={fieldLabel}>Description</span>
            <input
              className={fieldInput}
              value={form.description}
              placeholder="Quick and cheap, for drafts"
              onChange={(e) => set({ description: e.target.value })}
            />
          </label>
        </div>

        <DeploymentsFieldset
          deployments={form.deployments}
          providers={providers.data}
          error={fieldError("deployments")}
          fieldError={fieldError}
          onChange={(deployments) => set({ deployments })}
        />

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
          <legend className="text-sm font-medium">
            {organization
              ? "Who may use it in a team it is granted to (each team's admins can change it)"
              : "Who may use it"}
          </legend>
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
          {!organization && !!members.data?.length && (
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
    </Dialog>
  );
}
