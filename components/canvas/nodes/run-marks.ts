/** A step's run state on the canvas: its ring, and its icon and word (never the colour alone). */
export const runRing = {
  running: "ring-2 ring-sky-500",
  done: "ring-2 ring-emerald-500",
  failed: "ring-2 ring-red-500",
  waiting: "ring-2 ring-amber-500",
  skipped: "ring-1 ring-slate-300",
  interrupted: "ring-2 ring-slate-400",
} as const;

/** A step's run state as an icon and a word, not only a colour. */
export const runBadge = {
  running: { icon: "⟳", word: "Running", tone: "bg-sky-100 text-sky-900" },
  done: { icon: "✓", word: "Done", tone: "bg-emerald-100 text-emerald-900" },
  failed: { icon: "✕", word: "Failed", tone: "bg-red-100 text-red-900" },
  waiting: { icon: "⏸", word: "Waiting for a person", tone: "bg-amber-100 text-amber-900" },
  skipped: { icon: "–", word: "Skipped", tone: "bg-slate-100 text-slate-700" },
  interrupted: { icon: "!", word: "Interrupted", tone: "bg-slate-200 text-slate-800" },
} as const;
