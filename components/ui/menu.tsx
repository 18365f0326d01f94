"use client";

import Link from "next/link";
import { DropdownMenu } from "radix-ui";

/**
 * Menus (Radix DropdownMenu in the shadcn pattern): keyboard, focus and positioning from the
 * library, our look from Tailwind. `Menu` takes its trigger as a child.
 */
/**
 * Not modal: a modal menu hides the rest of the page with aria-hidden while it stays focusable
 * (axe's aria-hidden-focus); a menu needs no modality, Esc and a click outside close it.
 */
export function Menu({ children }: { children: React.ReactNode }) {
  return <DropdownMenu.Root modal={false}>{children}</DropdownMenu.Root>;
}
export const MenuTrigger = DropdownMenu.Trigger;

const surface =
  "z-50 min-w-44 overflow-hidden rounded-lg bg-white p-1 text-sm text-slate-800 shadow-lg ring-1 ring-slate-200";
const row =
  "flex cursor-default items-center gap-2 rounded-md px-2 py-1.5 outline-none select-none data-[disabled]:text-slate-500 data-[highlighted]:bg-brand-50 data-[highlighted]:text-brand-700";

export function MenuContent({ children, label }: { children: React.ReactNode; label?: string }) {
  return (
    <DropdownMenu.Portal>
      <DropdownMenu.Content
        sideOffset={4}
        collisionPadding={8}
        className={surface}
        aria-label={label}
        // Named by `label` when given (else by its trigger, as Radix names it).
        {...(label && { "aria-labelledby": undefined })}
      >
        {children}
      </DropdownMenu.Content>
    </DropdownMenu.Portal>
  );
}

export function MenuItem({
  children,
  onSelect,
  tone,
  disabled,
}: {
  children: React.ReactNode;
  onSelect: () => void;
  tone?: "danger";
  disabled?: boolean;
}) {
  return (
    <DropdownMenu.Item
      onSelect={onSelect}
      disabled={disabled}
      className={`${row} ${tone === "danger" ? "text-red-700 data-[highlighted]:bg-red-50 data-[highlighted]:text-red-800" : ""}`}
    >
      {children}
    </DropdownMenu.Item>
  );
}

/** A menu item that goes to a page of the studio. */
export function MenuLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <DropdownMenu.Item asChild className={row}>
      <Link href={href}>{children}</Link>
    </DropdownMenu.Item>
  );
}

export function MenuLabel({ children }: { children: React.ReactNode }) {
  return <DropdownMenu.Label className="px-2 py-1 text-xs font-semibold text-slate-600">{children}</DropdownMenu.Label>;
}

export const MenuSeparator = () => <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />;

/** A submenu: `label` opens it (by pointer, or the right arrow key). */
export function SubMenu({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DropdownMenu.Sub>
      <DropdownMenu.SubTrigger className={`${row} justify-between`}>
        {label} <span aria-hidden>›</span>
      </DropdownMenu.SubTrigger>
      <DropdownMenu.Portal>
        <DropdownMenu.SubContent sideOffset={4} collisionPadding={8} className={surface}>
          {children}
        </DropdownMenu.SubContent>
      </DropdownMenu.Portal>
    </DropdownMenu.Sub>
  );
}
