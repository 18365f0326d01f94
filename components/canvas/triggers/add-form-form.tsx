"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useAddTrigger } from "@/lib/queries/triggers";
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
  const problem = (field: string) =>
    add.error instanceof ApiError
      ? add.error.fields.find((f) => f.path.startsWith(`body.${field}`))?.message
      : undefined;
  return (
    <form
      aria-label="New form"
      className="space-y-3 rounded-md p-3 ring-1 ring-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate({ kind: "form", name, config }, { onSuccess: onAdded });
      }}
    >
      <TextField
        label="Name"
        value={name}
        maxLength={80}
        placeholder="Request form"
        onChange={(e) => setName(e.target.value)}
        error={problem("name")}
        required
      />
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
      <div className="flex gap-2">
        <Button type="submit" size="sm" busy={add.isPending}>
          Add form
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
