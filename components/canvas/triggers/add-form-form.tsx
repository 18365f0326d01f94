"use client";

import { useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { useAddTrigger } from "@/lib/queries/triggers";
import { NewTriggerForm, problemOf } from "./new-trigger-form";
import type { FormConfig, TriggerView } from "@/lib/schemas/triggers";

/** The form that makes a hosted form: its name, who may use it, how long it waits for the answer. */
export function AddFormForm({
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
  const [config, setConfig] = useState<FormConfig>({
    access: "members",
    waitSeconds: 20,
    thankYou: "Thank you: your answers were sent, and the work has started.",
    perMinute: 30,
  });
  const problem = (field: string) => problemOf(add.error, field);
  return (
    <NewTriggerForm
      label="New form"
      submitLabel="Add form"
      namePlaceholder="Request form"
      name={name}
      onName={setName}
      error={add.error}
      busy={add.isPending}
      onSubmit={() => {
        add.mutate({ kind: "form", name, config }, { onSuccess: onAdded });
      }}
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
