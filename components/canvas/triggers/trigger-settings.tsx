"use client";

import type { TriggerView } from "@/lib/schemas/triggers";
import { AddChatForm } from "./add-chat-form";
import { AddFormForm } from "./add-form-form";
import { AddScheduleForm } from "./add-schedule-form";
import { AddWebhookForm } from "./add-webhook-form";

/** A trigger's own form, filled with its settings, to change them in place (its link, secret and history stay). */
export function TriggerSettings({
  trigger,
  workflowId,
  exampleBody,
  textFields,
  onDone,
}: {
  trigger: TriggerView;
  workflowId: string;
  exampleBody: string;
  textFields: string[];
  onDone: () => void;
}) {
  const done = { onAdded: onDone, onCancel: onDone };
  switch (trigger.kind) {
    case "webhook":
      return <AddWebhookForm workflowId={workflowId} editing={trigger} {...done} />;
    case "schedule":
      return <AddScheduleForm workflowId={workflowId} exampleInput={exampleBody} editing={trigger} {...done} />;
    case "form":
      return <AddFormForm workflowId={workflowId} editing={trigger} {...done} />;
    case "chat":
      return <AddChatForm workflowId={workflowId} textFields={textFields} editing={trigger} {...done} />;
  }
}
