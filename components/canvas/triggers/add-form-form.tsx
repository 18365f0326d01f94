"use client";

import { useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { NewTriggerForm, problemOf, useSaveTrigger } from "./new-trigger-form";
import type { FormConfig, TriggerView } from "@/lib/schemas/triggers";

/**
 * The form that makes a hosted form (its name, who may use it, how long it waits for the
 * answer), or changes one (`editing`: its link stays the same).
 */
export function AddFormForm({
  workflowId,
  editing,
  onAdded,
  onCancel,
}: {
  workflowId: string;
  editing?: Extract<TriggerView, { kind: "form" }>;
  onAdded: (t: TriggerView) => void;
  onCancel: () => void;
}) {
  const add = useSaveTrigger(workflowId, editing);
  const [name, setName] = useState(editing?.name ?? "");
  const [config, setConfig] = useState<FormConfig>(
    () =>
      editing?.config ?? {
        access: "members",
        waitSeconds: 20,
        thankYou: "Thank you: your answers were sent, and the work has started.",
        perMinute: 30,
      },
  );
  const problem = (field: string) => problemOf(add.error, field);
  return (
    <NewTriggerForm
      {...add.labels("form")}
      namePlaceholder="Request form"
      name={name}
      onName={setName}
      error={add.error}
      busy={add.busy}
      onSubmit={() => add.save({ kind: "form", name, config }, onAdded)}
      onCancel={onCancel}
    >
      <SelectField
        label="Who may use it"
        value={config.access}
        onChange={(e) => setConfig({ ...config, access: e.target.value as FormConfig["access"] })}
        options={[
          { value: "members", label: "Members of this workspace, signed in" },
          { value: "public", label: "Anyone with the link" },
        ]}
      />
      <TextField
        label="Wait for the answer at most (seconds)"
        type="number"
        min={0}
        max={60}
        value={config.waitSeconds}
        onChange={(e) => setConfig({ ...config, waitSeconds: Number(e.target.value) })}
        hint="A longer run shows the thank-you below instead of its answer."
        error={problem("config.waitSeconds")}
      />
      <TextField
        label="Thank-you message"
        value={config.thankYou}
        maxLength={500}
        onChange={(e) => setConfig({ ...config, thankYou: e.target.value })}
        error={problem("config.thankYou")}
      />
      <TextField
        label="Answers per minute"
        type="number"
        min={1}
        max={10000}
        value={config.perMinute}
        onChange={(e) => setConfig({ ...config, perMinute: Number(e.target.value) })}
        error={problem("config.perMinute")}
      />
    </NewTriggerForm>
  );
}
