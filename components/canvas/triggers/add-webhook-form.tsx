"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useAddTrigger } from "@/lib/queries/triggers";
import type { TriggerView, WebhookConfig } from "@/lib/schemas/triggers";

/** The form that makes a webhook: its name, how it is authenticated, how it answers, its rate. */
export function AddWebhookForm({
  workflowId,
  onAdded,
  onCancel,
}: {
  workflowId: string;
  onAdded: (t: TriggerView) => void;
  onCancel: () => void;
}) {
  const add = useAddTrigger(workflowId);
  const [name, setName] = useState("");
  const [config, setConfig] = useState<WebhookConfig>({ auth: "token", mode: "async", waitSeconds: 30, perMinute: 60 });
  const problem = (field: string) =>
    add.error instanceof ApiError
      ? add.error.fields.find((f) => f.path.startsWith(`body.${field}`))?.message
      : undefined;
  return (
    <form
      aria-label="New webhook"
      className="space-y-3 rounded-md p-3 ring-1 ring-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate({ kind: "webhook", name, config }, { onSuccess: onAdded });
      }}
    >
      <TextField
        label="Name"
        value={name}
        maxLength={80}
        placeholder="Orders from the shop"
        onChange={(e) => setName(e.target.value)}
        error={problem("name")}
        required
      />
      <SelectField
        label="Authentication"
        value={config.auth}
        onChange={(e) => setConfig({ ...config, auth: e.target.value as WebhookConfig["auth"] })}
        options={[
          { value: "token", label: "Secret token (Authorization header)" },
          { value: "hmac", label: "HMAC signature of the body" },
        ]}
      />
      <SelectField
        label="Answer"
        value={config.mode}
        onChange={(e) => setConfig({ ...config, mode: e.target.value as WebhookConfig["mode"] })}
        options={[
          { value: "async", label: "At once, with the run's id (202)" },
          { value: "sync", label: "With the run's output, when it ends in time" },
        ]}
      />
      {config.mode === "sync" && (
        <TextField
          label="Wait at most (seconds)"
          type="number"
          min={1}
          max={120}
          value={config.waitSeconds}
          onChange={(e) => setConfig({ ...config, waitSeconds: Number(e.target.value) })}
          hint="Past this, it answers 202 with the run's id and a status URL."
          error={problem("config.waitSeconds")}
        />
      )}
      <TextField
        label="Deliveries per minute"
        type="number"
        min={1}
        max={10000}
        value={config.perMinute}
        onChange={(e) => setConfig({ ...config, perMinute: Number(e.target.value) })}
        hint="More than this in a minute are refused with 429."
        error={problem("config.perMinute")}
      />
      <div className="flex gap-2">
        <Button type="submit" size="sm" busy={add.isPending}>
          Add webhook
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
