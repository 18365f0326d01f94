"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-field";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError } from "@/lib/queries/api-client";
import { useCreateMember, useInvite } from "@/lib/queries/members";
import { roleSchema, type Role } from "@/lib/schemas/identity";

type Mode = "invite" | "create";

/** Invite someone by link (they choose their password), or create an account with a password. */
export function AddMemberForm() {
  const [mode, setMode] = useState<Mode>("invite");
  const invite = useInvite();
  const create = useCreateMember();
  // Every link made on this visit stays until the page is left: each is shown once, ever.
  const [links, setLinks] = useState<{ email: string; link: string }[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const error = (mode === "invite" ? invite.error : create.error) as ApiError | null;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = Object.fromEntries(new FormData(formEl)) as Record<string, string>;
    const base = { name: form.name ?? "", email: form.email ?? "", role: form.role as Role };
    setCreated(null);
    if (mode === "invite") {
      invite.mutate(base, {
        onSuccess: (r) => {
          const link = { email: base.email.trim(), link: `${window.location.origin}/invite/${r.token}` };
          setLinks((before) => [link, ...before]);
          formEl.reset();
        },
      });
    } else {
      create.mutate(
        { ...base, password: form.password ?? "" },
        { onSuccess: (r) => (setCreated(r.email), formEl.reset()) },
      );
    }
  }

  return (
    <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 className="font-semibold">Add a person</h2>
      <div role="tablist" className="mt-3 mb-4 inline-flex rounded-md bg-slate-100 p-0.5 text-sm">
        {(["invite", "create"] as const).map((m) => (
          <button
            key={m}
            role="tab"
            type="button"
            aria-selected={mode === m}
            onClick={() => setMode(m)}
            className={`rounded px-3 py-1 ${mode === m ? "bg-white font-medium shadow-sm" : "text-slate-600"}`}
          >
            {m === "invite" ? "Invite by link" : "Create with password"}
          </button>
        ))}
      </div>
      <form onSubmit={onSubmit} className="space-y-4" noValidate data-testid="add-member-form">
        {error && !error.fields?.length && <Alert>{error.message}</Alert>}
        <TextField label="Name" name="name" required error={error?.field?.("name")} />
        <TextField label="Email" name="email" type="email" required error={error?.field?.("email")} />
        <SelectField
          label="Role"
          name="role"
          defaultValue="BUILDER"
          options={roleSchema.options.map((r) => ({ value: r, label: r.toLowerCase() }))}
        />
        {mode === "create" && (
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="new-password"
            hint="At least 10 characters, hard to guess; hand it over safely"
            error={error?.field?.("password")}
          />
        )}
        <Button type="submit" busy={invite.isPending || create.isPending} className="w-full">
          {mode === "invite" ? "Create invitation link" : "Create account"}
        </Button>
        {links.length > 0 && (
          <div className="space-y-3" data-testid="invitation-link">
            {/* Only the newest is announced; the list stays (each link is shown on this page only). */}
            <Alert tone="success">
              {links.length === 1 ? "Invitation created." : `${links.length} invitations created.`} Send each link to
              its person (valid 7 days; shown only until you leave this page).
            </Alert>
            <ul className="space-y-3 rounded-lg bg-emerald-50 p-3 ring-1 ring-emerald-200">
              {links.map((l) => (
                <li key={l.link} className="space-y-1">
                  <p className="text-xs font-medium text-slate-700">{l.email}</p>
                  <CopyField
                    value={l.link}
                    label={`Invitation link for ${l.email}`}
                    confirmation={`Invitation link for ${l.email} copied`}
                  />
                </li>
              ))}
            </ul>
          </div>
        )}
        {created && (
          <Alert tone="success">
            {created} was added. Hand the password over; someone who already had a Flowdeck account keeps theirs.
          </Alert>
        )}
      </form>
    </section>
  );
}
