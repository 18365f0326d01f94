"use client";

import { useState } from "react";
import { SelectField, TextField } from "@/components/ui/field";
import { chatConfigSchema, type ChatConfig, type TriggerView } from "@/lib/schemas/triggers";
import { NewTriggerForm, problemOf, useSaveTrigger } from "./new-trigger-form";

/**
 * The form that deploys the workflow as a chat (who may use it, what each answer remembers,
 * embedding), or changes one (`editing`: its link stays the same).
 */
export function AddChatForm({
  workflowId,
  textFields,
  editing,
  onAdded,
  onCancel,
}: {
  workflowId: string;
  /** The Start step's text fields, one of which gets each message. */
  textFields: string[];
  editing?: Extract<TriggerView, { kind: "chat" }>;
  onAdded: (t: TriggerView) => void;
  onCancel: () => void;
}) {
  const add = useSaveTrigger(workflowId, editing);
  const [name, setName] = useState(editing?.name ?? "");
  const [config, setConfig] = useState<ChatConfig>(
    () => editing?.config ?? { ...chatConfigSchema.parse({}), messageField: textFields[0] ?? "" },
  );
  const problem = (field: string) => problemOf(add.error, field);
  return (
    <NewTriggerForm
      {...add.labels("chat")}
      namePlaceholder="Help desk"
      name={name}
      onName={setName}
      error={add.error}
      busy={add.busy}
      disabledReason={textFields.length ? null : "Give the Start step a text field first: each message goes into it."}
      onSubmit={() => add.save({ kind: "chat", name, config }, onAdded)}
      onCancel={onCancel}
    >
      <SelectField
        label="Who may use it"
        value={config.access}
        onChange={(e) => setConfig({ ...config, access: e.target.value as ChatConfig["access"] })}
        options={[
          { value: "members", label: "Members of this workspace, signed in" },
          { value: "public", label: "Anyone with the link" },
        ]}
      />
      {textFields.length > 0 && (
        <SelectField
          label="The message goes into"
          value={config.messageField}
          onChange={(e) => setConfig({ ...config, messageField: e.target.value })}
          options={textFields.map((f) => ({ value: f, label: `Start field “${f}”` }))}
        />
      )}
      <SelectField
        label="Memory of the conversation"
        value={config.memory}
        onChange={(e) => setConfig({ ...config, memory: e.target.value as ChatConfig["memory"] })}
        options={[
          { value: "window", label: "The last turns" },
          { value: "summary", label: "The last turns and a summary of older ones" },
        ]}
      />
      <TextField
        label="Turns remembered word for word"
        type="number"
        min={1}
        max={50}
        value={config.windowTurns}
        onChange={(e) => setConfig({ ...config, windowTurns: Number(e.target.value) })}
        hint="Each answer's agents get these turns before the new message."
        error={problem("config.windowTurns")}
      />
      {config.memory === "summary" && (
        <TextField
          label="Model that writes the summary"
          value={config.summaryModel}
          maxLength={100}
          onChange={(e) => setConfig({ ...config, summaryModel: e.target.value })}
          error={problem("config.summaryModel")}
        />
      )}
      <TextField
        label="Greeting"
        value={config.greeting}
        maxLength={500}
        onChange={(e) => setConfig({ ...config, greeting: e.target.value })}
        error={problem("config.greeting")}
      />
      <TextField
        label="Messages per minute"
        type="number"
        min={1}
        max={10000}
        value={config.perMinute}
        onChange={(e) => setConfig({ ...config, perMinute: Number(e.target.value) })}
        error={problem("config.perMinute")}
      />
      {config.access === "public" && (
        <label className="flex items-center gap-2 text-xs text-slate-700">
          <input
            type="checkbox"
            checked={config.embed}
            onChange={(e) => setConfig({ ...config, embed: e.target.checked })}
          />
          Let other sites embed it with the widget (one script tag)
        </label>
      )}
    </NewTriggerForm>
  );
}
