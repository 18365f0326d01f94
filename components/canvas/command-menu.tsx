"use client";

import { useEffect, useMemo, useRef, useState } from "react";

export interface Command {
  id: string;
  label: string;
  hint?: string;
  run: () => void;
}

/** A keyboard-first list of commands: type to filter, arrows to move, Enter to run. */
export function CommandMenu({ commands, onClose }: { commands: Command[]; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const shown = useMemo(
    () => commands.filter((c) => `${c.label} ${c.hint ?? ""}`.toLowerCase().includes(query.toLowerCase())),
    [commands, query],
  );

  useEffect(() => input.current?.focus(), []);

  const run = (c: Command | undefined) => {
    if (!c) return;
    onClose();
    c.run();
  };

  return (
    <div className="fixed inset-0 z-50 flex items-start justify-center bg-slate-900/30 pt-32" onMouseDown={onClose}>
      <div
        role="dialog"
        aria-label="Command menu"
        className="w-full max-w-md overflow-hidden rounded-xl bg-white shadow-2xl ring-1 ring-slate-200"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <input
          ref={input}
          value={query}
          placeholder="Add a step or run a command…"
          aria-label="Command"
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === "Escape") return onClose();
            const moves: Record<string, () => void> = {
              ArrowDown: () => setActive((a) => Math.min(a + 1, shown.length - 1)),
              ArrowUp: () => setActive((a) => Math.max(a - 1, 0)),
              Enter: () => run(shown[active]),
            };
            if (moves[e.key]) {
              e.preventDefault();
              moves[e.key]!();
            }
          }}
          className="w-full border-b border-slate-200 px-4 py-3 text-sm outline-none"
        />
        <ul role="listbox" className="max-h-80 overflow-y-auto py-1">
          {shown.map((c, i) => (
            <li
              key={c.id}
              role="option"
              aria-selected={i === active}
              onMouseEnter={() => setActive(i)}
              onClick={() => run(c)}
              className={`flex cursor-pointer justify-between px-4 py-2 text-sm ${i === active ? "bg-brand-50 text-brand-700" : "text-slate-700"}`}
            >
              {c.label}
              {c.hint && <span className="text-xs text-slate-400">{c.hint}</span>}
            </li>
          ))}
          {shown.length === 0 && <li className="px-4 py-3 text-sm text-slate-500">Nothing matches “{query}”.</li>}
        </ul>
      </div>
    </div>
  );
}
