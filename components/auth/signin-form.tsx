"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/hydrated";
import { TextField } from "@/components/ui/field";

export function SignInForm({ oidcName }: { oidcName: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const hydrated = useHydrated();
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      redirect: false,
    });
    if (result?.ok && !result.error) {
      router.replace(returnPath(window.location.search));
      router.refresh();
      return;
    }
    setBusy(false);
    setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Email or password is incorrect.");
  }

  return (
    <form method="post" onSubmit={onSubmit} className="space-y-5" data-testid="signin-form">
      <div>
        <h1 className="text-lg font-semibold">Sign in</h1>
        <p className="text-sm text-slate-500">to your Flowdeck workspace</p>
      </div>
      {error && <Alert testId="signin-error">{error}</Alert>}
      <TextField label="Email" name="email" type="email" autoComplete="email" required autoFocus />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
      <Button type="submit" busy={busy} disabled={!hydrated} className="w-full">
        Sign in
      </Button>
      {oidcName && (
        <Button
          type="button"
          variant="secondary"
          className="w-full"
          onClick={() => signIn("oidc", { callbackUrl: "/" })}
        >
          Continue with {oidcName}
        </Button>
      )}
    </form>
  );
}

/** Where to go after signing in: `?next=` when it is a path of this site (a chat or form that asked), else home. */
function returnPath(search: string): string {
  const next = new URLSearchParams(search).get("next");
  return next && /^\/(?![/\\])/.test(next) ? next : "/";
}
