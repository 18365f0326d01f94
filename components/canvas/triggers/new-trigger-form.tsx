"use client";

import { useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useAddTrigger, useUpdateTrigger } from "@/lib/queries/triggers";
import type { CreateTriggerInput, TriggerView } from "@/lib/schemas/triggers";

/** What the server said of one body field (`config.cron`, `name`), if anything. */
export const problemOf = (error: unknown, field: string): string | undefined =>
  error instanceof ApiError ? error.fields.find((f) => f.path.startsWith(`body.${field}`))?.message : undefined;

/**
 * Adding a trigger, or changing one (`editing`: the same trigger, so its link, secret and
 * history stay): what the kind's form sends either way, and how it went.
 */
export function useSaveTrigger(workflowId: string, editing: TriggerView | undefined) {
  const create = useAddTrigger(workflowId);
  const update = useUpdateTrigger(workflowId);
  const sending = editing ? update : create;
  return {
    error: sending.error,
    busy: sending.isPending,
    /** The form's label and its button's, for adding or for changing `editing`. */
    labels: (kind: string) =>
      editing
        ? { label: `Settings of ${editing.name}`, submitLabel: "Save" }
        : { label: `New ${kind}`, submitLabel: `Add ${kind}` },
    save: (input: CreateTriggerInput, onSuccess: (t: TriggerView) => void) =>
      editing
        ? update.mutate({ id: editing.id, name: input.name, config: input.config }, { onSuccess })
        : create.mutate(input, { onSuccess }),
  };
}

/**
 * The frame every trigger's form shares, to add one or change one: its name, the kind's own
 * fields, an error no field names, the button (Add or Save) and Cancel.
 */
export function NewTriggerForm({
  label,
  submitLabel,
  namePlaceholder,
  name,
  onName,
  error,
  busy,
  disabledReason = null,
  onSubmit,
  onCancel,
  children,
}: {
  label: string;
  submitLabel: string;
  namePlaceholder: string;
  name: string;
  onName: (name: string) => void;
  error: unknown;
  busy: boolean;
  disabledReason?: string | null;
  onSubmit: () => void;
  onCancel: () => void;
  children: React.ReactNode;
}) {
  // Opened by a button that is gone or hidden now: the focus goes to the form's first field.
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => form.current?.querySelector("input")?.focus(), []);
  const unplaced =
    error instanceof Error && !(error instanceof ApiError && error.fields.length > 0) ? error.message : null;
  return (
    <form
      ref={form}
      aria-label={label}
      className="space-y-3 rounded-md p-3 ring-1 ring-slate-200"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <TextField
        label="Name"
        value={name}
        maxLength={80}
        placeholder={namePlaceholder}
        onChange={(e) => onName(e.target.value)}
        error={problemOf(error, "name")}
        required
      />
      {children}
      {unplaced && <Alert>{unplaced}</Alert>}
      <div className="flex gap-2">
        <Button type="submit" size="sm" busy={busy} disabledReason={disabledReason}>
          {submitLabel}
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
