"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useTriggers } from "@/lib/queries/triggers";
import { useWorkflowVersions } from "@/lib/queries/workflow-editor";
import { startConfigOf } from "@/lib/schemas/node-kinds/start";
import type { WorkflowGraph } from "@/lib/schemas/workflow";
import { AddChatForm } from "./add-chat-form";
import { AddFormForm } from "./add-form-form";
import { AddScheduleForm } from "./add-schedule-form";
import { AddWebhookForm } from "./add-webhook-form";
import { TriggerCard } from "./trigger-card";

const SAMPLE: Record<string, unknown> = { string: "text", text: "text", number: 1, boolean: true, json: {} };

/** A JSON body for the Start fields, to show in the example command. */
function exampleBody(graph: WorkflowGraph): string {
  const { fields } = startConfigOf(graph);
  return JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, SAMPLE[f.type] ?? "text"])));
}

/** The Start step's text fields: a chat's message goes into one of them. */
const textFields = (graph: WorkflowGraph): string[] =>
  startConfigOf(graph)
    .fields.filter((f) => f.type === "string" || f.type === "text")
    .map((f) => f.name);

/** The editor's Triggers tab: webhooks that start the workflow from other systems, and schedules. */
export function TriggersPanel({ workflowId, graph }: { workflowId: string; graph: WorkflowGraph }) {
  const triggers = useTriggers(workflowId);
  const versions = useWorkflowVersions(workflowId);
  const [adding, setAdding] = useState<"webhook" | "schedule" | "form" | "chat" | null>(null);
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const body = exampleBody(graph);
  const fields = textFields(graph);
  return (
    <div className="space-y-3">
      <p className="text-xs text-slate-600">
        A webhook starts this workflow from another system: its JSON body becomes the Start fields. Its URL runs the
        published version; its test URL runs the draft. A schedule runs the published version at set times; a form is a
        page of the Start fields that people fill in; a chat answers each message with a run that remembers the
        conversation.
      </p>
      {versions.data?.length === 0 && (
        <p className="rounded-md bg-amber-50 p-2 text-xs text-amber-900 ring-1 ring-amber-200">
          Not published yet: webhook URLs answer 400, schedules record an error, and forms and chats say they are not
          available until you publish. A webhook&apos;s test URL works now.
        </p>
      )}
      {triggers.isPending && <p className="text-sm text-slate-500">Loading triggers…</p>}
      {triggers.error && <p className="text-sm text-red-600">Could not load triggers: {triggers.error.message}</p>}
      {triggers.data?.map((t) => (
        <TriggerCard
          key={t.id}
          trigger={t}
          workflowId={workflowId}
          shownSecret={secrets[t.id]}
          exampleBody={body}
          textFields={fields}
        />
      ))}
      {triggers.data?.length === 0 && !adding && (
        <p className="text-sm text-slate-500">No webhooks, schedules, forms or chats yet.</p>
      )}
      {adding === "webhook" && (
        <AddWebhookForm
          workflowId={workflowId}
          onCancel={() => setAdding(null)}
          onAdded={(t) => {
            setSecrets((s) => ({ ...s, [t.id]: t.secret ?? "" }));
            setAdding(null);
          }}
        />
      )}
      {adding === "schedule" && (
        <AddScheduleForm
          workflowId={workflowId}
          exampleInput={body}
          onCancel={() => setAdding(null)}
          onAdded={() => setAdding(null)}
        />
      )}
      {adding === "form" && (
        <AddFormForm workflowId={workflowId} onCancel={() => setAdding(null)} onAdded={() => setAdding(null)} />
      )}
      {adding === "chat" && (
        <AddChatForm
          workflowId={workflowId}
          textFields={fields}
          onCancel={() => setAdding(null)}
          onAdded={() => setAdding(null)}
        />
      )}
      {!adding && (
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant="secondary" onClick={() => setAdding("webhook")}>
            Add webhook
          </Button>
          <Button size="sm" variant="secondary" onClick={() => setAdding("schedule")}>
            Add schedule
          </Button>
          <Button size="sm" variant="secondary" onClick={() => setAdding("form")}>
            Add form
          </Button>
          <Button size="sm" variant="secondary" onClick={() => setAdding("chat")}>
            Add chat
          </Button>
        </div>
      )}
    </div>
  );
}
