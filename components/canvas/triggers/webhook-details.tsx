"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { useRotateTriggerSecret } from "@/lib/queries/triggers";
import type { TriggerView, WebhookConfig } from "@/lib/schemas/triggers";
import { useConfirm } from "@/components/ui/confirm";

type Webhook = Extract<TriggerView, { kind: "webhook" }>;

/** How to call the webhook from a shell, with its secret and an example body. */
export function exampleCommand(url: string, config: WebhookConfig, secret: string, body: string): string {
  const quoted = `'${body.replace(/'/g, `'\\''`)}'`;
  if (config.auth === "token")
    return `curl -X POST ${url} -H "Authorization: Bearer ${secret}" -H "Content-Type: application/json" -d ${quoted}`;
  return [
    `BODY=${quoted}; T=$(date +%s)`,
    `SIG=$(printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac '${secret}' | sed 's/^.* //')`,
    `curl -X POST ${url} -H "Content-Type: application/json" -H "X-Flowdeck-Signature: t=$T,v1=$SIG" -d "$BODY"`,
  ].join("\n");
}

/** A webhook's URLs, how it answers, its secret (once, when made or rotated) and "New secret". */
export function WebhookDetails({
  trigger,
  shownSecret,
  exampleBody,
}: {
  trigger: Webhook;
  shownSecret?: string;
  exampleBody: string;
}) {
  const confirm = useConfirm();
  const rotate = useRotateTriggerSecret();
  const [rotated, setRotated] = useState<string>();
  const secret = rotated ?? shownSecret;
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const url = `${origin}${trigger.path}`;
  const { config } = trigger;
  return (
    <>
      <p className="text-xs text-slate-600">
        Webhook · {config.auth === "token" ? "secret token in the Authorization header" : "HMAC-signed body"} · answers{" "}
        {config.mode === "async"
          ? "at once with the run's id"
          : `with the run's output (waits up to ${config.waitSeconds} s)`}{" "}
        · {config.perMinute} a minute
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
            value={exampleCommand(url, config, secret, exampleBody)}
            label={`Example command for ${trigger.name}`}
            confirmation="Command copied"
          />
        </Alert>
      )}
      <Button
        size="sm"
        variant="secondary"
        busy={rotate.isPending}
        onClick={async () => {
          const yes = await confirm({
            title: `Make a new secret for “${trigger.name}”?`,
            message: "The old one stops working at once.",
            action: "Make a new secret",
          });
          if (yes) rotate.mutate(trigger.id, { onSuccess: (t) => setRotated(t.secret) });
        }}
      >
        New secret
      </Button>
      {rotate.error && <Alert>{rotate.error.message}</Alert>}
    </>
  );
}
