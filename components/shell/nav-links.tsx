"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { InboxCount } from "@/components/inbox/inbox-count";

export function NavLinks({ items }: { items: { href: string; label: string; live?: "inbox" }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
      {items.map((item) => {
        const active = item.href === "/" ? pathname === "/" : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
          >
            {item.label}
            {item.live === "inbox" && <InboxCount />}
          </Link>
        );
      })}
    </nav>
  );
}
