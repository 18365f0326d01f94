"use client";

import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { useRotateTriggerSecret } from "@/lib/queries/triggers";
import type { TriggerView } from "@/lib/schemas/triggers";
import { useConfirm } from "@/components/ui/confirm";

type ChatTrigger = Extract<TriggerView, { kind: "chat" }>;

/** A chat's link (a public one's carries its token), the widget's script tag, and a new link. */
export function ChatDetails({ trigger, workflowId }: { trigger: ChatTrigger; workflowId: string }) {
  const confirm = useConfirm();
  const rotate = useRotateTriggerSecret(workflowId);
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const { config, name } = trigger;
  return (
    <>
      <p className="text-xs text-slate-600">
        Chat · {config.access === "public" ? "anyone with the link" : "members of this workspace, signed in"} ·
        remembers{" "}
        {config.memory === "summary"
          ? `the last ${config.windowTurns} turns and a summary`
          : `the last ${config.windowTurns} turns`}{" "}
        · {config.perMinute} messages a minute
      </p>
      <div className="space-y-1">
        <p className="text-xs font-medium text-slate-700">Link (runs the published version)</p>
        <CopyField value={`${origin}${trigger.path}`} label={`Link of ${name}`} confirmation="Link copied" />
        <a
          href={trigger.path}
          target="_blank"
          rel="noreferrer"
          className="text-xs font-medium text-brand-700 hover:underline"
        >
          Open the chat in a new tab<span className="sr-only">: {name}</span>
        </a>
      </div>
      {trigger.widgetPath && (
        <div className="space-y-1">
          <p className="text-xs font-medium text-slate-700">Widget: put this tag in any page</p>
          <CopyField
            value={`<script src="${origin}${trigger.widgetPath}" async></script>`}
            label={`Widget tag of ${name}`}
            confirmation="Tag copied"
          />
        </div>
      )}
      {config.access === "public" && (
        <Button
          size="sm"
          variant="secondary"
          busy={rotate.isPending}
          onClick={async () => {
            const yes = await confirm({
              title: `Make a new link for “${name}”?`,
              message: "The old link and widget tag stop working at once.",
              action: "Make a new link",
            });
            if (yes) rotate.mutate(trigger.id);
          }}
        >
          New link
        </Button>
      )}
    </>
  );
}
