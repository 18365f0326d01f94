"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { ApiError } from "@/lib/queries/api-client";
import { useCreateFromTemplate, useCreateWorkflow } from "@/lib/queries/workflows";
import { parseWorkflowFile } from "@/lib/schemas/workflow-file";
import { workflowTemplates } from "@/lib/workflows/templates";

/** What a blank workflow is called when it is made without a name (renamed in the editor). */
export const UNTITLED_WORKFLOW = "Untitled workflow";

/** Three ways to start: a blank workflow (named, or untitled), a template, or an imported JSON file. */
export function NewWorkflowMenu({ onBlank, busy }: { onBlank: (name: string) => void; busy: boolean }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [templates, setTemplates] = useState(false);
  const [importError, setImportError] = useState<string | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const fromTemplate = useCreateFromTemplate();
  const importer = useCreateWorkflow();

  async function onFile(f: File | undefined) {
    if (!f) return;
    setImportError(null);
    const parsed = parseWorkflowFile(await f.text());
    if (file.current) file.current.value = "";
    if (!parsed.ok) return setImportError(`${f.name}: ${parsed.error}`);
    importer.mutate(
      { name: parsed.name, description: parsed.description, graph: parsed.graph },
      {
        onSuccess: (w) => router.push(`/workflows/${w.id}`),
        onError: (e) => setImportError(e instanceof ApiError ? e.message : "Could not import."),
      },
    );
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap gap-2">
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            onBlank(name.trim() || UNTITLED_WORKFLOW);
          }}
        >
          <label htmlFor="new-workflow" className="sr-only">
            New workflow name
          </label>
          <input
            id="new-workflow"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="New workflow name"
            className="w-56 rounded-md border-0 px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500"
          />
          <Button type="submit" busy={busy}>
            New workflow
          </Button>
        </form>
        <Button variant="secondary" onClick={() => setTemplates(true)}>
          From template
        </Button>
        <Button variant="secondary" busy={importer.isPending} onClick={() => file.current?.click()}>
          Import
        </Button>
        <input
          ref={file}
          type="file"
          accept="application/json,.json"
          className="hidden"
          data-testid="import-file"
          onChange={(e) => void onFile(e.target.files?.[0])}
        />
      </div>
      {importError && (
        <div className="max-w-xl" data-testid="import-error">
          <Alert>{importError}</Alert>
        </div>
      )}
      {templates && (
        <Dialog title="New from template" onClose={() => setTemplates(false)} testId="template-dialog">
          <ul className="space-y-2">
            {workflowTemplates.map((t) => (
              <li key={t.id}>
                <button
                  type="button"
                  disabled={fromTemplate.isPending}
                  onClick={() => fromTemplate.mutate(t.id, { onSuccess: (w) => router.push(`/workflows/${w.id}`) })}
                  className="w-full rounded-lg p-3 text-left ring-1 ring-slate-200 hover:bg-slate-50 hover:ring-brand-500"
                >
                  <div className="text-sm font-medium">{t.name}</div>
                  <div className="text-xs text-slate-500">{t.description}</div>
                </button>
              </li>
            ))}
          </ul>
          {fromTemplate.error && <Alert>{fromTemplate.error.message}</Alert>}
        </Dialog>
      )}
    </div>
  );
}
