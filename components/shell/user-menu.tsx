"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui/button";

export function UserMenu({
  name,
  email,
  role,
  owner = false,
}: {
  name: string;
  email: string;
  role: string;
  /** An installation owner: the Organization area is linked here, beside their account. */
  owner?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <div className="flex items-center gap-2 whitespace-nowrap">
      <div className="text-right leading-tight">
        <div className="max-w-36 truncate text-sm font-medium text-slate-900" data-testid="user-name" title={email}>
          {name}
        </div>
        <div className="max-w-36 truncate text-xs text-slate-500" title={email}>
          <span className="hidden 2xl:inline">{email} · </span>
          <span data-testid="user-role">{role.toLowerCase()}</span>
        </div>
      </div>
      {owner && (
        <Link
          href="/organization"
          className="rounded-md px-2 py-1.5 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
        >
          Organization
        </Link>
      )}
      <Link
        href="/settings/account"
        className="rounded-md px-2 py-1.5 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      >
        Account
      </Link>
      <Link
        href="/settings/api-keys"
        className="rounded-md px-2 py-1.5 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900"
      >
        API keys
      </Link>
      <Button
        variant="secondary"
        busy={busy}
        onClick={() => {
          setBusy(true);
          void signOut({ callbackUrl: "/signin" });
        }}
      >
        Sign out
      </Button>
    </div>
  );
}
