"use client";

import { useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { NewTriggerForm, problemOf, useSaveTrigger } from "./new-trigger-form";
import type { TriggerView, WebhookConfig } from "@/lib/schemas/triggers";

/**
 * The form that makes a webhook (its name, how it is authenticated, how it answers, its rate),
 * or changes one (`editing`: its URLs and secret stay the same).
 */
export function AddWebhookForm({
  workflowId,
  editing,
  onAdded,
  onCancel,
}: {
  workflowId: string;
  editing?: Extract<TriggerView, { kind: "webhook" }>;
  onAdded: (t: TriggerView) => void;
  onCancel: () => void;
}) {
  const add = useSaveTrigger(workflowId, editing);
  const [name, setName] = useState(editing?.name ?? "");
  const [config, setConfig] = useState<WebhookConfig>(
    () => editing?.config ?? { auth: "token", mode: "async", waitSeconds: 30, perMinute: 60 },
  );
  const problem = (field: string) => problemOf(add.error, field);
  return (
    <NewTriggerForm
      {...add.labels("webhook")}
      namePlaceholder="Orders from the shop"
      name={name}
      onName={setName}
      error={add.error}
      busy={add.busy}
      onSubmit={() => add.save({ kind: "webhook", name, config }, onAdded)}
      onCancel={onCancel}
    >
      <SelectField
        label="Authentication"
        value={config.auth}
        onChange={(e) => setConfig({ ...config, auth: e.target.value as WebhookConfig["auth"] })}
        // Short enough for the side panel; what each means, under it.
        options={[
          { value: "token", label: "Secret token" },
          { value: "hmac", label: "HMAC signature" },
        ]}
        hint={`${
          config.auth === "hmac"
            ? "The sender signs the body and a timestamp with the secret."
            : "The sender puts the secret in the Authorization header."
        }${editing && editing.config.auth !== config.auth ? " Saved, senders that still use the other way are refused (401)." : ""}`}
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
    </NewTriggerForm>
  );
}
