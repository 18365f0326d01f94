"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/hydrated";
import { TextField } from "@/components/ui/field";
import { api, ApiError } from "@/lib/queries/api-client";

/** "Create the first admin": the only way an installation gets its first account. */
export function SetupForm() {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    setBusy(true);
    setError(null);
    try {
      await api("/api/setup", { body: form });
      await signIn("credentials", { email: form.email, password: form.password, redirect: false });
      router.replace("/");
      router.refresh();
    } catch (e) {
      setBusy(false);
      setError(
        e instanceof ApiError
          ? e
          : new ApiError(0, "network", "Could not reach the server. Check that Flowdeck is running."),
      );
    }
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-5" data-testid="setup-form" noValidate>
      <div>
        <h1 className="text-lg font-semibold">Create the first admin</h1>
        <p className="text-sm text-slate-500">
          This installation is empty. The account you create here administers it.
        </p>
      </div>
      {error && !error.fields.length && <Alert>{error.message}</Alert>}
      <TextField label="Your name" name="name" autoComplete="name" required error={error?.field("name")} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required error={error?.field("email")} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 10 characters"
        error={error?.field("password")}
      />
      <TextField
        label="Workspace name"
        name="workspaceName"
        defaultValue="Demo workspace"
        required
        error={error?.field("workspaceName")}
      />
      <Button type="submit" busy={busy} disabled={!hydrated} className="w-full">
        Create admin and open the studio
      </Button>
    </form>
  );
}
