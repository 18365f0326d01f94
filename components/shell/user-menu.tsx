"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { DropdownMenu } from "radix-ui";
import { Menu, MenuContent, MenuLabel, MenuSeparator, MenuTrigger } from "@/components/ui/menu";

const item =
  "flex cursor-default items-center rounded-md px-2 py-1.5 outline-none select-none data-[highlighted]:bg-brand-50 data-[highlighted]:text-brand-700";

/**
 * The signed-in person: their name and role in the header, and a menu of their account, API
 * keys, the Organization area (an installation owner's) and signing out, so the header keeps
 * to one line on a laptop.
 */
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
  const links = [
    ...(owner ? [{ href: "/organization", label: "Organization" }] : []),
    { href: "/settings/account", label: "Account" },
    { href: "/settings/api-keys", label: "API keys" },
  ];
  return (
    <Menu>
      <MenuTrigger className="flex items-center gap-2 rounded-md px-2 py-1 text-right leading-tight whitespace-nowrap hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-500">
        <span>
          <span className="block max-w-36 truncate text-sm font-medium text-slate-900" data-testid="user-name">
            {name}
          </span>
          <span className="block max-w-36 truncate text-xs text-slate-600" data-testid="user-role">
            {role.toLowerCase()}
          </span>
        </span>
        <span className="sr-only">: account menu</span>
        <span aria-hidden className="text-xs text-slate-600">
          ▾
        </span>
      </MenuTrigger>
      <MenuContent label="Account menu">
        <MenuLabel>{email}</MenuLabel>
        {links.map((l) => (
          <DropdownMenu.Item key={l.href} asChild className={item}>
            <Link href={l.href}>{l.label}</Link>
          </DropdownMenu.Item>
        ))}
        <MenuSeparator />
        <DropdownMenu.Item className={item} onSelect={() => void signOut({ callbackUrl: "/signin" })}>
          Sign out
        </DropdownMenu.Item>
      </MenuContent>
    </Menu>
  );
}
