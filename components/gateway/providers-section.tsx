"use client";

import { useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import {
  useDeleteProvider,
  useProviders,
  useSaveProvider,
  useTestProvider,
  type GatewayScope,
} from "@/lib/queries/gateway";
import { providerDestination, sameDestination } from "@/lib/schemas/destination";
import type { ProviderKind, ProviderView } from "@/lib/schemas/gateway";
import { useConfirm } from "@/components/ui/confirm";

export const kindLabel: Record<ProviderKind, string> = {
  OPENAI: "OpenAI",
  ANTHROPIC: "Anthropic",
  OPENAI_COMPATIBLE: "OpenAI-compatible server",
};

function ProviderForm({
  provider,
  onDone,
  scope,
}: {
  provider?: ProviderView;
  onDone: () => void;
  scope: GatewayScope;
}) {
  const save = useSaveProvider(scope);
  const [kind, setKind] = useState<ProviderKind>(provider?.kind ?? "OPENAI_COMPATIBLE");
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? "");
  // The stored key is only sent where it was entered for (the API refuses otherwise).
  const keyNeededAgain =
    !!provider?.apiKeyHint &&
    !sameDestination(providerDestination(provider.kind, provider.baseUrl), providerDestination(kind, baseUrl.trim()));
  const error = save.error instanceof ApiError ? save.error : null;
  return (
    <Dialog title={provider ? `Edit ${provider.name}` : "Add a provider"} onClose={onDone} testId="provider-dialog">
      <form
        className="space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const f = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
          save.mutate(
            { id: provider?.id, name: f.name ?? "", kind, baseUrl: f.baseUrl ?? "", apiKey: f.apiKey ?? "" },
            { onSuccess: onDone },
          );
        }}
      >
        {error && !error.fields.length && <Alert>{error.message}</Alert>}
        <SelectField
          label="Kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as ProviderKind)}
          options={Object.entries(kindLabel).map(([value, label]) => ({ value, label }))}
        />
        <TextField
          label="Name"
          name="name"
          defaultValue={provider?.name}
          placeholder={kind === "OPENAI_COMPATIBLE" ? "Ollama on the GPU box" : kindLabel[kind]}
          error={error?.field("name")}
        />
        <TextField
          label={kind === "OPENAI_COMPATIBLE" ? "Base URL" : "Base URL (optional)"}
          name="baseUrl"
          defaultValue={provider?.baseUrl}
          onChange={(e) => setBaseUrl(e.target.value)}
          placeholder={
            kind === "OPENAI_COMPATIBLE" ? "http://localhost:11434/v1" : "Leave empty for the provider's own"
          }
          hint={
            scope === "workspace"
              ? "Ollama, vLLM, LM Studio and llama.cpp server speak the OpenAI protocol under /v1. A server on this machine or your network is reached once its address is allowed under HTTP destinations, private addresses included."
              : "Ollama, vLLM, LM Studio and llama.cpp server speak the OpenAI protocol under /v1."
          }
          error={error?.field("baseUrl")}
        />
        <TextField
          label="API key"
          name="apiKey"
          type="password"
          autoComplete="off"
          placeholder={
            keyNeededAgain
              ? "Enter the key for the new address"
              : provider?.apiKeyHint
                ? `Stored (${provider.apiKeyHint}); leave empty to keep it`
                : kind === "OPENAI_COMPATIBLE"
                  ? "Optional for local servers"
                  : "sk-…"
          }
          hint={
            keyNeededAgain
              ? "The address changed: enter the key again. A stored key is only sent where it was entered for."
              : "Encrypted before it is stored; only its last four characters are ever shown."
          }
          error={error?.field("apiKey")}
        />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" busy={save.isPending}>
            {provider ? "Save provider" : "Add provider"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

function ProviderCard({
  provider,
  onEdit,
  scope,
}: {
  provider: ProviderView;
  onEdit: () => void;
  scope: GatewayScope;
}) {
  const confirm = useConfirm();
  const test = useTestProvider(scope);
  const remove = useDeleteProvider(scope);
  const result = test.data;
  return (
    <li className="space-y-2 rounded-lg p-4 ring-1 ring-slate-200" data-testid="provider-card">
      <div className="flex items-start justify-between gap-3">
        <div>
          <div className="font-medium">{provider.name}</div>
          <div className="text-xs text-slate-500">
            {kindLabel[provider.kind]}
            {provider.baseUrl && (
              <>
                {" "}
                · <span className="font-mono">{provider.baseUrl}</span>
              </>
            )}
            {" · key "}
            <span className="font-mono" data-testid="provider-key-hint">
              {provider.apiKeyHint ?? "none"}
            </span>
          </div>
        </div>
        <div className="flex shrink-0 gap-1">
          <Button variant="secondary" busy={test.isPending} onClick={() => test.mutate(provider.id)}>
            Test connection
          </Button>
          <Button variant="ghost" onClick={onEdit}>
            Edit
          </Button>
          <Button
            variant="ghost"
            busy={remove.isPending}
            onClick={async () => {
              const yes = await confirm({
                title: `Remove the provider “${provider.name}”?`,
                message: "Models served by it stop answering until they are given another provider.",
                action: "Remove",
              });
              if (yes) remove.mutate(provider.id);
            }}
          >
            Remove
          </Button>
        </div>
      </div>
      {result ? (
        <Alert tone={result.ok ? "success" : "error"} testId="provider-test-result">
          {result.message}
          {result.models.length > 0 && (
            <span className="block truncate text-xs">Models: {result.models.slice(0, 8).join(", ")}</span>
          )}
        </Alert>
      ) : (
        provider.testError && <Alert testId="provider-test-result">Last test failed: {provider.testError}</Alert>
      )}
      {remove.error && <Alert>{remove.error.message}</Alert>}
    </li>
  );
}

/** Providers: where model calls go, with their (sealed) keys and a connection test; the organization's or a team's own. */
export function ProvidersSection({ scope = "workspace" }: { scope?: GatewayScope }) {
  const providers = useProviders(scope);
  const [editing, setEditing] = useState<ProviderView | "new" | null>(null);
  const headingId = useId();
  return (
    <section className="space-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby={headingId}>
      <div className="flex items-center justify-between">
        <div>
          <h2 id={headingId} className="font-semibold">
            {scope === "organization" ? "Providers" : "This workspace's own providers"}
          </h2>
          <p className="text-sm text-slate-600">
            The services model calls go to{scope === "organization" ? ", for every team" : ""}. The built-in demo model
            needs none.
          </p>
        </div>
        <Button onClick={() => setEditing("new")}>Add provider</Button>
      </div>
      {providers.data?.length === 0 && (
        <p className="text-sm text-slate-500">
          No providers yet: add OpenAI, Anthropic, or a local OpenAI-compatible server.
        </p>
      )}
      <ul className="space-y-3">
        {providers.data?.map((p) => (
          <ProviderCard key={p.id} provider={p} scope={scope} onEdit={() => setEditing(p)} />
        ))}
      </ul>
      {editing && (
        <ProviderForm
          provider={editing === "new" ? undefined : editing}
          scope={scope}
          onDone={() => setEditing(null)}
        />
      )}
    </section>
  );
}
