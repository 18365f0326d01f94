"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { DeploymentInput, ProviderView } from "@/lib/schemas/gateway";
import { fieldLabel as label, fieldInput as input, Num } from "./model-fields";

/** A model's deployments, in fallback order: where its calls go, with weights, timeouts and limits. */
export function DeploymentsFieldset({
  deployments,
  providers,
  error,
  fieldError,
  onChange,
}: {
  deployments: DeploymentInput[];
  providers: ProviderView[] | undefined;
  error?: string;
  fieldError: (path: string) => string | undefined;
  onChange: (deployments: DeploymentInput[]) => void;
}) {
  const firstProvider = providers?.[0]?.id ?? "";
  const setDeployment = (i: number, patch: Partial<DeploymentInput>) =>
    onChange(deployments.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Deployments</legend>
      <p className="text-xs text-slate-500">
        Calls go to one of the deployments with a weight above 0 (drawn by weight); when it fails before answering, the
        others follow in this order. Weight 0: fallback only.
      </p>
      {error && <p className="text-xs text-red-600">{error}</p>}
      {providers?.length === 0 && (
        <Alert tone="info">Add a provider first: deployments send calls to a provider&apos;s model.</Alert>
      )}
      <ol className="space-y-2">
        {deployments.map((d, i) => (
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
                {providers?.map((p) => (
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
                  onChange(deployments.map((x, j) => (j === i - 1 ? d : j === i ? deployments[i - 1]! : x)))
                }
              >
                ↑
              </Button>
              <Button
                type="button"
                variant="ghost"
                aria-label="Remove deployment"
                onClick={() => onChange(deployments.filter((_, j) => j !== i))}
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
          onChange([
            ...deployments,
            {
              providerId: firstProvider,
              modelId: "",
              weight: deployments.length ? 0 : 1,
              rpmLimit: null,
              tpmLimit: null,
              timeoutSeconds: 60,
            },
          ])
        }
      >
        Add deployment
      </Button>
    </fieldset>
  );
}
