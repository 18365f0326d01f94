"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/field";
import type { ApiError } from "@/lib/queries/api-client";
import { useCreateVariable, useDeleteVariable, useUpdateVariable, useVariables } from "@/lib/queries/variables";
import type { VariableView } from "@/lib/schemas/variables";
import { useConfirm } from "@/components/ui/confirm";

/**
 * The workspace's variables and secrets: admins add, change, rotate and delete them; builders
 * see their names (and variables' values) to use in steps. A secret's value is never shown
 * again once saved: only its last four characters.
 */
export function VariablesPanel({ canEdit }: { canEdit: boolean }) {
  const confirm = useConfirm();
  const variables = useVariables();
  const [editing, setEditing] = useState<VariableView | null>(null);
  const remove = useDeleteVariable();
  const rows = variables.data ?? [];
  return (
    <div className="space-y-6">
      {canEdit && <AddVariableForm />}
      <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-labelledby="variables-title">
        <h2 id="variables-title" className="border-b border-slate-200 px-5 py-3 font-semibold">
          In this workspace
        </h2>
        {variables.isPending ? (
          <p className="px-5 py-4 text-sm text-slate-500">Loading…</p>
        ) : rows.length === 0 ? (
          <p className="px-5 py-4 text-sm text-slate-600">
            None yet. {canEdit ? "Add one above." : "An admin adds them; you can then use them in steps."}
          </p>
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-xs text-slate-500 uppercase">
              <tr>
                <th className="px-5 py-2 font-semibold">Name</th>
                <th className="px-5 py-2 font-semibold">Kind</th>
                <th className="px-5 py-2 font-semibold">Value</th>
                <th className="px-5 py-2 font-semibold">In a step</th>
                {canEdit && (
                  <th className="px-5 py-2 font-semibold">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((v) => (
                <tr key={v.id}>
                  <td className="px-5 py-2 font-mono text-xs">{v.name}</td>
                  <td className="px-5 py-2">
                    {v.secret ? (
                      <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
                        Secret
                      </span>
                    ) : (
                      "Variable"
                    )}
                  </td>
                  <td className="max-w-xs truncate px-5 py-2 font-mono text-xs" title={v.value ?? undefined}>
                    {v.secret ? (
                      <span aria-label={v.hint ? `hidden, ending in ${v.hint}` : "hidden"}>•••• {v.hint ?? ""}</span>
                    ) : (
                      v.value
                    )}
                  </td>
                  <td className="px-5 py-2 font-mono text-xs text-slate-600">
                    {`{{${v.secret ? "secrets" : "vars"}.${v.name}}}`}
                  </td>
                  {canEdit && (
                    <td className="px-5 py-2 text-right whitespace-nowrap">
                      <Button variant="secondary" onClick={() => setEditing(v)}>
                        {v.secret ? "Rotate" : "Change"}
                        <span className="sr-only"> {v.name}</span>
                      </Button>{" "}
                      <Button
                        variant="danger"
                        busy={remove.isPending && remove.variables === v.id}
                        onClick={async () => {
                          const yes = await confirm({
                            title: `Delete “${v.name}”?`,
                            message: "Steps that use it will fail until it is back.",
                            action: "Delete",
                          });
                          if (yes) remove.mutate(v.id, { onSuccess: () => toast.success(`Deleted “${v.name}”.`) });
                        }}
                      >
                        Delete<span className="sr-only"> {v.name}</span>
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {editing && <EditVariableDialog variable={editing} onClose={() => setEditing(null)} />}
    </div>
  );
}

function AddVariableForm() {
  const create = useCreateVariable();
  const [secret, setSecret] = useState(false);
  const error = create.error as ApiError | null;
  return (
    <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby="add-variable-title">
      <h2 id="add-variable-title" className="font-semibold">
        Add a variable or secret
      </h2>
      <form
        noValidate
        className="mt-4 grid gap-4 md:grid-cols-[1fr_2fr]"
        onSubmit={(event) => {
          event.preventDefault();
          const formEl = event.currentTarget;
          const form = Object.fromEntries(new FormData(formEl)) as Record<string, string>;
          create.mutate(
            { name: form.name ?? "", value: form.value ?? "", secret },
            {
              onSuccess: (v) => {
                toast.success(`Saved ${v.secret ? "secret" : "variable"} “${v.name}”.`);
                formEl.reset();
                setSecret(false);
              },
            },
          );
        }}
      >
        {error && !error.fields?.length && (
          <div className="md:col-span-2">
            <Alert>{error.message}</Alert>
          </div>
        )}
        <TextField
          label="Name"
          name="name"
          required
          autoComplete="off"
          hint="Letters, digits and _; steps write {{vars.name}} or {{secrets.name}}"
          error={error?.field?.("name")}
        />
        <TextField
          label="Value"
          name="value"
          type={secret ? "password" : "text"}
          autoComplete="off"
          hint={secret ? "Sealed when saved, and never shown again" : "Anyone building in this workspace can read it"}
          error={error?.field?.("value")}
        />
        <label className="flex items-center gap-2 text-sm md:col-span-2">
          <input type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} />
          Secret: an API key or password, usable only in HTTP Request steps
        </label>
        <div className="md:col-span-2">
          <Button type="submit" busy={create.isPending}>
            Save {secret ? "secret" : "variable"}
          </Button>
        </div>
      </form>
    </section>
  );
}

function EditVariableDialog({ variable, onClose }: { variable: VariableView; onClose: () => void }) {
  const update = useUpdateVariable();
  const error = update.error as ApiError | null;
  return (
    <Dialog title={`${variable.secret ? "Rotate" : "Change"} “${variable.name}”`} onClose={onClose}>
      <form
        noValidate
        className="space-y-4"
        onSubmit={(event) => {
          event.preventDefault();
          const value = String(new FormData(event.currentTarget).get("value") ?? "");
          update.mutate(
            { id: variable.id, value },
            {
              onSuccess: () => {
                toast.success(`Saved “${variable.name}”. Runs use it from now on.`);
                onClose();
              },
            },
          );
        }}
      >
        <TextField
          label={variable.secret ? "New value" : "Value"}
          name="value"
          type={variable.secret ? "password" : "text"}
          autoComplete="off"
          defaultValue={variable.value ?? ""}
          hint={
            variable.secret ? `Replaces the value ending in ${variable.hint}; no workflow needs changing` : undefined
          }
          error={error?.field?.("value") ?? (error && !error.fields?.length ? error.message : undefined)}
        />
        <div className="flex justify-end gap-2">
          <Button variant="secondary" type="button" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" busy={update.isPending}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
