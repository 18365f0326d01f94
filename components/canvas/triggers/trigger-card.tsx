"use client";

import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useDeleteTrigger, useUpdateTrigger } from "@/lib/queries/triggers";
import type { TriggerView } from "@/lib/schemas/triggers";
import { ChatDetails } from "./chat-details";
import { DeliveriesList } from "./deliveries-list";
import { FormDetails } from "./form-details";
import { ScheduleDetails } from "./schedule-details";
import { TriggerSettings } from "./trigger-settings";
import { WebhookDetails } from "./webhook-details";
import { useConfirm } from "@/components/ui/confirm";

/** One trigger: on or off, what it is (a webhook's URLs, a schedule's times), its settings changed in place, delete, its recent deliveries. */
export function TriggerCard({
  trigger,
  workflowId,
  shownSecret,
  exampleBody,
  textFields,
}: {
  trigger: TriggerView;
  workflowId: string;
  /** A webhook's secret, in the answer that just made it: shown this once. */
  shownSecret?: string;
  exampleBody: string;
  /** The Start step's text fields (a chat's message goes into one). */
  textFields: string[];
}) {
  const confirm = useConfirm();
  const update = useUpdateTrigger(workflowId);
  const remove = useDeleteTrigger(workflowId);
  const headingId = `trigger-${trigger.id}`;
  const what = trigger.kind;
  const history = {
    webhook: "Recent deliveries",
    schedule: "Recent ticks",
    form: "Recent answers",
    chat: "Recent messages",
  }[trigger.kind];
  // While the change is on its way, the box shows what was asked for. It is set in the click's own event: a
  // controlled checkbox that changes a tick later (as a mutation's state does) springs back in between.
  const [asked, setAsked] = useState<boolean | null>(null);
  const [editing, setEditing] = useState(false);
  const change = useRef<HTMLButtonElement>(null);
  const enabled = asked ?? trigger.enabled;
  return (
    <section
      aria-labelledby={headingId}
      // Its buttons stand side by side (some come from the kind's own details): room between them.
      className="space-y-2.5 rounded-md p-3 ring-1 ring-slate-200 [&>button]:mr-2"
    >
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
          onChange={(e) => {
            setAsked(e.target.checked);
            update.mutate({ id: trigger.id, enabled: e.target.checked }, { onSettled: () => setAsked(null) });
          }}
        />
        {
          {
            webhook: "Accept deliveries (turned off, its URLs answer 404)",
            schedule: "Run on schedule (turned off, no tick starts a run)",
            form: "Accept answers (turned off, the page says it is not available)",
            chat: "Accept messages (turned off, the chat and its widget say it is not available)",
          }[trigger.kind]
        }
      </label>
      {editing && (
        <TriggerSettings
          trigger={trigger}
          workflowId={workflowId}
          exampleBody={exampleBody}
          textFields={textFields}
          onDone={() => {
            setEditing(false);
            // Back to the button that opened the form (it was hidden meanwhile).
            requestAnimationFrame(() => change.current?.focus());
          }}
        />
      )}
      {/* Hidden, not gone, while its settings are open: a secret shown once stays until the page is left. */}
      <div hidden={editing} className="space-y-2.5 [&>button]:mr-2">
        {trigger.kind === "webhook" && (
          <WebhookDetails trigger={trigger} shownSecret={shownSecret} exampleBody={exampleBody} />
        )}
        {trigger.kind === "schedule" && <ScheduleDetails config={trigger.config} name={trigger.name} />}
        {trigger.kind === "form" && <FormDetails config={trigger.config} path={trigger.path} name={trigger.name} />}
        {trigger.kind === "chat" && <ChatDetails trigger={trigger} workflowId={workflowId} />}
        <Button ref={change} size="sm" variant="secondary" onClick={() => setEditing(true)}>
          Change settings<span className="sr-only"> of {trigger.name}</span>
        </Button>
      </div>
      <Button
        size="sm"
        variant="danger"
        busy={remove.isPending}
        onClick={async () => {
          const yes = await confirm({
            title: `Delete the ${what} “${trigger.name}”?`,
            message: "It starts no more runs.",
            action: "Delete",
          });
          if (yes) remove.mutate(trigger.id);
        }}
      >
        Delete
      </Button>
      {(update.error ?? remove.error) && <Alert>{(update.error ?? remove.error)!.message}</Alert>}
      <h4 className="pt-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">{history}</h4>
      <DeliveriesList triggerId={trigger.id} label={history} />
    </section>
  );
}
