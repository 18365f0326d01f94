"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { api, ApiError } from "@/lib/queries/api-client";

/**
 * Changing one's password ends every session of theirs (a copied cookie included); this browser
 * then signs in again with the new password, so the person stays where they are.
 */
export function ChangePasswordForm({ email }: { email: string }) {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formEl = event.currentTarget;
    const form = Object.fromEntries(new FormData(formEl)) as Record<string, string>;
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await api("/api/me/password", { body: form });
      await signIn("credentials", { email, password: form.newPassword, redirect: false });
      formEl.reset();
      setDone(true);
      router.refresh();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "network", "Could not reach the server."));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="max-w-md rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
      <h2 className="font-semibold">Change password</h2>
      <p className="mb-4 text-sm text-slate-600">Every other browser signed in as you is signed out.</p>
      <form onSubmit={onSubmit} className="space-y-4" noValidate data-testid="change-password-form">
        {error && !error.fields.length && <Alert>{error.message}</Alert>}
        <TextField
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={error?.field("currentPassword")}
        />
        <TextField
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 10 characters and hard to guess: a few uncommon words work well"
          error={error?.field("newPassword")}
        />
        <Button type="submit" busy={busy} className="w-full">
          Change password
        </Button>
        {done && <Alert tone="success">Password changed. Your other sessions were signed out.</Alert>}
      </form>
    </section>
  );
}
