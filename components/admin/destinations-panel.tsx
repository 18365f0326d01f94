"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import type { ApiError } from "@/lib/queries/api-client";
import { useAddDestination, useDestinations, useRemoveDestination } from "@/lib/queries/destinations";
import { useConfirm } from "@/components/ui/confirm";

/** The hosts HTTP Request steps may reach: none until an admin allows one; private addresses only when ticked. */
export function DestinationsPanel() {
  const confirm = useConfirm();
  const destinations = useDestinations();
  const add = useAddDestination();
  const remove = useRemoveDestination();
  const [allowPrivate, setAllowPrivate] = useState(false);
  const [requireApproval, setRequireApproval] = useState(false);
  const error = add.error as ApiError | null;
  const rows = destinations.data ?? [];
  return (
    <div className="space-y-6">
      <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200" aria-labelledby="add-destination">
        <h2 id="add-destination" className="font-semibold">
          Allow a host
        </h2>
        <form
          noValidate
          className="mt-4 space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            const formEl = event.currentTarget;
            const pattern = String(new FormData(formEl).get("pattern") ?? "");
            add.mutate(
              { pattern, allowPrivate, requireApproval },
              {
                onSuccess: (d) => {
                  toast.success(`HTTP Request steps may now reach ${d.pattern}.`);
                  formEl.reset();
                  setAllowPrivate(false);
                  setRequireApproval(false);
                },
              },
            );
          }}
        >
          {error && !error.fields?.length && <Alert>{error.message}</Alert>}
          <TextField
            label="Host"
            name="pattern"
            autoComplete="off"
            placeholder="api.example.com"
            hint="A host (api.example.com), every subdomain (*.example.com) or an IP address, with :port to allow one port only"
            error={error?.field?.("pattern")}
          />
          <Tick checked={allowPrivate} onChange={setAllowPrivate}>
            Also private and loopback addresses (this machine, your internal network, cloud metadata). Only for a
            service you run inside; refused otherwise.
          </Tick>
          <Tick checked={requireApproval} onChange={setRequireApproval}>
            Requests that change things (POST, PUT, PATCH, DELETE) wait for a person&apos;s approval. The reviewer sees
            the request, may edit it, and never sees a secret it carries.
          </Tick>
          <Button type="submit" busy={add.isPending}>
            Allow host
          </Button>
        </form>
      </section>
      <section className="rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-labelledby="allowed-hosts">
        <h2 id="allowed-hosts" className="border-b border-slate-200 px-5 py-3 font-semibold">
          Allowed hosts
        </h2>
        {destinations.isPending ? (
          <p className="px-5 py-4 text-sm text-slate-500">Loading…</p>
        ) : rows.length === 0 ? (
          <p className="px-5 py-4 text-sm text-slate-600">
            None: HTTP Request steps of this workspace cannot reach anything yet.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {rows.map((d) => (
              <li key={d.id} className="flex items-center justify-between gap-4 px-5 py-2 text-sm">
                <span>
                  <span className="font-mono">{d.pattern}</span>
                  {d.allowPrivate && (
                    <span className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
                      private addresses allowed
                    </span>
                  )}
                  {d.requireApproval && (
                    <span className="ml-2 rounded-full bg-sky-100 px-2 py-0.5 text-xs font-medium text-sky-900">
                      changes need approval
                    </span>
                  )}
                </span>
                <Button
                  variant="danger"
                  busy={remove.isPending && remove.variables === d.id}
                  onClick={async () => {
                    const yes = await confirm({
                      title: `Stop allowing ${d.pattern}?`,
                      message: "Steps calling it will fail.",
                      action: "Stop allowing",
                    });
                    if (yes)
                      remove.mutate(d.id, { onSuccess: () => toast.success(`${d.pattern} is no longer allowed.`) });
                  }}
                >
                  Remove<span className="sr-only"> {d.pattern}</span>
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** A checkbox with its sentence beside it. */
function Tick({
  checked,
  onChange,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: React.ReactNode;
}) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type="checkbox" className="mt-1" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>{children}</span>
    </label>
  );
}
