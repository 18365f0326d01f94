"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ApiError } from "@/lib/queries/api-client";
import { useStartRun } from "@/lib/queries/runs";
import type { WorkflowGraph } from "@/lib/schemas/workflow";
import { startConfigOf } from "@/lib/schemas/node-kinds/start";

type Field = { name: string; type: string; required: boolean; description: string };

function parse(type: string, raw: string): unknown {
  if (raw === "" || (type === "json" && raw.trim() === "")) return undefined;
  if (type === "number") return Number(raw);
  if (type === "json") return JSON.parse(raw);
  return raw;
}

/** What a JSON field holds that is not JSON, said with an example; null when it is JSON (or empty). */
function notJson(raw: string): string | null {
  if (raw.trim() === "") return null;
  try {
    JSON.parse(raw);
    return null;
  } catch {
    return 'Not valid JSON: write a list as ["Ann", "Bob"], an object as {"name": "Ann"}, text in double quotes.';
  }
}

/**
 * The run's input form, generated from the Start node's fields; starts a test run of the draft.
 * `title` and `description` fit it to where it opens (the editor's are the defaults).
 */
export function RunDialog({
  workflowId,
  graph,
  onStarted,
  onClose,
  beforeStart,
  title = "Run this workflow",
  description = "A test run of the draft as it is now. Steps light up on the canvas as they run.",
}: {
  workflowId: string;
  graph: WorkflowGraph;
  onStarted: (runId: string) => void;
  onClose: () => void;
  /** Saves the draft first, when the editor has changes not saved yet; false when it could not. */
  beforeStart?: () => Promise<boolean>;
  title?: string;
  description?: string;
}) {
  const fields: Field[] = startConfigOf(graph).fields;
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  /** JSON fields whose text is not JSON: said under the field, and the run does not start. */
  const [unparsed, setUnparsed] = useState<Record<string, string>>({});
  const start = useStartRun(workflowId);
  const [unsaved, setUnsaved] = useState(false);
  const [saving, setSaving] = useState(false);
  const error = start.error instanceof ApiError ? start.error : null;

  return (
    <Dialog title={title} onClose={onClose} testId="run-dialog">
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          const wrong = Object.fromEntries(
            fields
              .filter((f) => f.type === "json")
              .map((f) => [f.name, notJson(String(values[f.name] ?? ""))])
              .filter(([, why]) => why !== null),
          ) as Record<string, string>;
          setUnparsed(wrong);
          if (Object.keys(wrong).length) return;
          const input = Object.fromEntries(
            fields
              .map((f) => [
                f.name,
                f.type === "boolean" ? values[f.name] === true : parse(f.type, String(values[f.name] ?? "")),
              ])
              .filter(([, v]) => v !== undefined),
          );
          if (saving || start.isPending) return;
          void (async () => {
            setUnsaved(false);
            setSaving(true);
            const saved = beforeStart ? await beforeStart() : true;
            setSaving(false);
            if (!saved) return setUnsaved(true);
            start.mutate({ input, mode: "draft" }, { onSuccess: (r) => onStarted(r.id) });
          })();
        }}
      >
        <p className="text-sm text-slate-600">{description}</p>
        {fields.length === 0 && <p className="text-sm text-slate-500">This workflow takes no input.</p>}
        {fields.map((f) => {
          // The field's problem (its JSON, or what the server said of it), tied to the control for screen readers.
          const problem =
            unparsed[f.name] ?? (error?.field(`input.${f.name}`) && `“${f.name}” ${error.field(`input.${f.name}`)}`);
          const said = {
            "aria-invalid": problem ? (true as const) : undefined,
            "aria-describedby": problem ? `run-${f.name}-problem` : f.description ? `run-${f.name}-hint` : undefined,
          };
          return (
            <div key={f.name} className="space-y-1">
              <label htmlFor={`run-${f.name}`} className="block text-xs font-medium text-slate-700">
                {f.name}
                {f.required && <span className="text-red-600"> *</span>}
              </label>
              {f.type === "boolean" ? (
                <input
                  id={`run-${f.name}`}
                  type="checkbox"
                  checked={values[f.name] === true}
                  onChange={(e) => setValues({ ...values, [f.name]: e.target.checked })}
                  {...said}
                />
              ) : f.type === "text" || f.type === "json" ? (
                <textarea
                  id={`run-${f.name}`}
                  rows={3}
                  value={String(values[f.name] ?? "")}
                  onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                  placeholder={f.type === "json" ? 'JSON, such as ["Ann", "Bob"]' : undefined}
                  {...said}
                  className="block w-full rounded-md border-0 px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 aria-invalid:ring-red-400"
                />
              ) : (
                <input
                  id={`run-${f.name}`}
                  type={f.type === "number" ? "number" : "text"}
                  value={String(values[f.name] ?? "")}
                  onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
                  {...said}
                  className="block w-full rounded-md border-0 px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 aria-invalid:ring-red-400"
                />
              )}
              {problem ? (
                <p id={`run-${f.name}-problem`} className="text-xs text-red-600">
                  {problem}
                </p>
              ) : (
                f.description && (
                  <p id={`run-${f.name}-hint`} className="text-xs text-slate-500">
                    {f.description}
                  </p>
                )
              )}
            </div>
          );
        })}
        {error && !error.fields.some((p) => p.path.startsWith("body.input.")) && <Alert>{error.message}</Alert>}
        {unsaved && <Alert>The latest changes could not be saved, so the run did not start. Try again.</Alert>}
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={saving || start.isPending}>
            Start run
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
