import type { NodeKindSpec } from "@/lib/schemas/node-kinds";

/** Tailwind classes per accent, written out so the compiler sees them. */
export const accentClasses: Record<NodeKindSpec["accent"], { bar: string; icon: string }> = {
  emerald: { bar: "bg-emerald-500", icon: "bg-emerald-50 text-emerald-700" },
  violet: { bar: "bg-violet-500", icon: "bg-violet-50 text-violet-700" },
  sky: { bar: "bg-sky-500", icon: "bg-sky-50 text-sky-700" },
  amber: { bar: "bg-amber-500", icon: "bg-amber-50 text-amber-700" },
  orange: { bar: "bg-orange-500", icon: "bg-orange-50 text-orange-700" },
  indigo: { bar: "bg-indigo-500", icon: "bg-indigo-50 text-indigo-700" },
  slate: { bar: "bg-slate-500", icon: "bg-slate-100 text-slate-700" },
  yellow: { bar: "bg-yellow-400", icon: "bg-yellow-50 text-yellow-700" },
  rose: { bar: "bg-rose-500", icon: "bg-rose-50 text-rose-700" },
};
