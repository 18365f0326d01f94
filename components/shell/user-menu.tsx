"use client";

import { signOut } from "next-auth/react";
import { Menu, MenuContent, MenuItem, MenuLabel, MenuLink, MenuSeparator, MenuTrigger } from "@/components/ui/menu";

const WORKSPACE_SETTINGS = [
  { href: "/admin/variables", label: "Variables and secrets" },
  { href: "/admin/destinations", label: "HTTP destinations" },
  { href: "/admin/notifications", label: "Review notifications" },
  { href: "/admin/audit", label: "Audit log" },
];

/**
 * The signed-in person: their name and role in the header, and a menu of their account, API
 * keys, the Organization area (an installation owner's), a workspace admin's settings that have
 * no place in the top bar (variables and secrets, HTTP destinations, review notifications) and
 * signing out, so the header keeps to one line on a laptop.
 */
export function UserMenu({
  name,
  email,
  role,
  owner = false,
  workspaceAdmin = false,
}: {
  name: string;
  email: string;
  role: string;
  /** An installation owner: the Organization area is in this menu, beside their account. */
  owner?: boolean;
  /** An admin of the current workspace: its settings are in this menu too. */
  workspaceAdmin?: boolean;
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
          <MenuLink key={l.href} href={l.href}>
            {l.label}
          </MenuLink>
        ))}
        {workspaceAdmin && (
          <>
            <MenuSeparator />
            <MenuLabel>This workspace</MenuLabel>
            {WORKSPACE_SETTINGS.map((l) => (
              <MenuLink key={l.href} href={l.href}>
                {l.label}
              </MenuLink>
            ))}
          </>
        )}
        <MenuSeparator />
        <MenuItem onSelect={() => void signOut({ callbackUrl: "/signin" })}>Sign out</MenuItem>
      </MenuContent>
    </Menu>
  );
}
