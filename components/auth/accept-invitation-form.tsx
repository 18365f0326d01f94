"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/hydrated";
import { TextField } from "@/components/ui/field";
import { api, ApiError } from "@/lib/queries/api-client";

interface Invitation {
  email: string;
  name: string;
  role: string;
  workspaceName: string;
}

export function AcceptInvitationForm({ token, invitation }: { token: string; invitation: Invitation }) {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get("password"));
    setBusy(true);
    setError(null);
    try {
      await api("/api/invitations/accept", { body: { token, password } });
      await signIn("credentials", { email: invitation.email, password, redirect: false });
      router.replace("/");
      router.refresh();
    } catch (e) {
      setBusy(false);
      setError(e instanceof ApiError ? e : new ApiError(0, "network", "Could not reach the server."));
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-5" data-testid="accept-invitation-form">
      <div>
        <h1 className="text-lg font-semibold">Join {invitation.workspaceName}</h1>
        <p className="text-sm text-slate-500">
          {invitation.name} ({invitation.email}), you are invited as {invitation.role.toLowerCase()}.
        </p>
      </div>
      {error && !error.fields.length && <Alert>{error.message}</Alert>}
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="New to Flowdeck: choose one (at least 10 characters, hard to guess). Already have an account: enter its password."
        required
        error={error?.field("password")}
      />
      <Button type="submit" busy={busy} disabled={!hydrated} className="w-full">
        Join workspace
      </Button>
    </form>
  );
}
