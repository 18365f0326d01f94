"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { useDeleteTrigger, useRotateTriggerSecret, useUpdateTrigger } from "@/lib/queries/triggers";
import type { TriggerView } from "@/lib/schemas/triggers";
import { DeliveriesList } from "./deliveries-list";

/** How to call the webhook from a shell, with its secret and an example body. */
export function exampleCommand(url: string, trigger: TriggerView, secret: string, body: string): string {
  const quoted = `'${body.replace(/'/g, `'\\''`)}'`;
  if (trigger.config.auth === "token")
    return `curl -X POST ${url} -H "Authorization: Bearer ${secret}" -H "Content-Type: application/json" -d ${quoted}`;
  return [
    `BODY=${quoted}; T=$(date +%s)`,
    `SIG=$(printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac '${secret}' | sed 's/^.* //')`,
    `curl -X POST ${url} -H "Content-Type: application/json" -H "X-Flowdeck-Signature: t=$T,v1=$SIG" -d "$BODY"`,
  ].join("\n");
}

/** One webhook: on or off, its URLs, how it answers, its secret (once), its recent deliveries. */
export function TriggerCard({
  trigger,
  workflowId,
  shownSecret,
  exampleBody,
}: {
  trigger: TriggerView;
  workflowId: string;
  /** The secret, in the answer that just made or rotated it: shown this once. */
  shownSecret?: string;
  exampleBody: string;
}) {
  const update = useUpdateTrigger(workflowId);
  const rotate = useRotateTriggerSecret();
  const remove = useDeleteTrigger(workflowId);
  const [secret, setSecret] = useState(shownSecret);
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const url = `${origin}${trigger.path}`;
  const headingId = `trigger-${trigger.id}`;
  // While the change is on its way, the box shows what was asked for.
  const enabled = update.isPending ? (update.variables.enabled ?? trigger.enabled) : trigger.enabled;
  return (
    <section aria-labelledby={headingId} className="space-y-2.5 rounded-md p-3 ring-1 ring-slate-200">
      <div className="flex items-center justify-between gap-2">
        <h3 id={headingId} className="truncate text-sm font-semibold text-slate-900">
          {trigger.name}
        </h3>
        <span
          className={`shrink-0 rounded px-1.5 py-0.5 text-xs font-medium ${trigger.enabled ? "bg-emerald-100 text-emerald-800" : "bg-slate-200 text-slate-700"}`}
        >
          {trigger.enabled ? "On" : "Off"}
        </span>
      </div>
      <label className="flex items-center gap-2 text-xs text-slate-700">
        <input
          type="checkbox"
          checked={enabled}
          onChange={(e) => update.mutate({ id: trigger.id, enabled: e.target.checked })}
        />
        Accept deliveries (turned off, its URLs answer 404)
      </label>
      <p className="text-xs text-slate-600">
        Webhook · {trigger.config.auth === "token" ? "secret token in the Authorization header" : "HMAC-signed body"} ·
        answers{" "}
        {trigger.config.mode === "async"
          ? "at once with the run's id"
          : `with the run's output (waits up to ${trigger.config.waitSeconds} s)`}{" "}
        · {trigger.config.perMinute} a minute
      </p>
      <div className="space-y-1">
        <p className="text-xs font-medium text-slate-700">URL (runs the published version)</p>
        <CopyField value={url} label={`URL of ${trigger.name}`} confirmation="URL copied" />
        <p className="text-xs font-medium text-slate-700">Test URL (runs the draft)</p>
        <CopyField
          value={`${origin}${trigger.testPath}`}
          label={`Test URL of ${trigger.name}`}
          confirmation="Test URL copied"
        />
      </div>
      {secret && (
        <Alert tone="success" testId="trigger-secret">
          <p className="mb-1.5 font-medium">Copy the secret now: it is not shown again.</p>
          <CopyField value={secret} label={`Secret of ${trigger.name}`} confirmation="Secret copied" />
          <p className="mt-2 mb-1 text-xs">Try it from a shell:</p>
          <CopyField
            value={exampleCommand(url, trigger, secret, exampleBody)}
            label={`Example command for ${trigger.name}`}
            confirmation="Command copied"
          />
        </Alert>
      )}
      <div className="flex flex-wrap gap-2">
        <Button
          size="sm"
          variant="secondary"
          busy={rotate.isPending}
          onClick={() => {
            if (window.confirm(`Make a new secret for “${trigger.name}”? The old one stops working at once.`))
              rotate.mutate(trigger.id, { onSuccess: (t) => setSecret(t.secret) });
          }}
        >
          New secret
        </Button>
        <Button
          size="sm"
          variant="danger"
          busy={remove.isPending}
          onClick={() => {
            if (window.confirm(`Delete the webhook “${trigger.name}”? Its URL stops working at once.`))
              remove.mutate(trigger.id);
          }}
        >
          Delete
        </Button>
      </div>
      {(update.error ?? rotate.error ?? remove.error) && (
        <Alert>{(update.error ?? rotate.error ?? remove.error)!.message}</Alert>
      )}
      <h4 className="pt-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Recent deliveries</h4>
      <DeliveriesList triggerId={trigger.id} />
    </section>
  );
}
