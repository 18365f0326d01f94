"use client";

import { usePathname, useRouter } from "next/navigation";

/** The history's outcome filter, kept in the URL. */
export function OutcomeFilter({ outcomes, value }: { outcomes: string[]; value: string }) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <select
      aria-label="Outcome"
      className="rounded-md bg-white px-2 py-1.5 text-sm ring-1 ring-slate-300"
      value={value}
      onChange={(e) =>
        router.replace(e.target.value ? `${pathname}?outcome=${encodeURIComponent(e.target.value)}` : pathname)
      }
    >
      <option value="">Every outcome</option>
      {outcomes.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );
}
