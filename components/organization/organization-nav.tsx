"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const PAGES = [
  { href: "/organization", label: "Spend and policies" },
  { href: "/organization/models", label: "Models and providers" },
  { href: "/organization/tools", label: "Tool servers" },
  { href: "/organization/teams", label: "Teams" },
];

/** The Organization area's pages; the current one is marked for screen readers and by an underline. */
export function OrganizationNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Organization" className="flex gap-1 border-b border-slate-200">
      {PAGES.map((p) => {
        const current = pathname === p.href;
        // A page below one (Tool servers → tool calls) is in its section.
        const inSection = current || (p.href !== "/organization" && pathname.startsWith(`${p.href}/`));
        return (
          <Link
            key={p.href}
            href={p.href}
            aria-current={current ? "page" : inSection ? "true" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${inSection ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {p.label}
          </Link>
        );
      })}
    </nav>
  );
}
