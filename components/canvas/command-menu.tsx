"use client";

import { Command as Cmdk } from "cmdk";
import { useState } from "react";
import { DialogFrame } from "@/components/ui/dialog";

export interface Command {
  id: string;
  label: string;
  hint?: string;
  run: () => void;
}

const matches = (c: Command, query: string) =>
  `${c.label} ${c.hint ?? ""}`.toLowerCase().includes(query.trim().toLowerCase());

/**
 * A keyboard-first list of commands (cmdk in the shared modal frame): type to filter, arrows to
 * move, Enter to run the highlighted one, Esc to close. Commands keep their order while filtered
 * (cmdk's own filter would rank them), so Enter after typing runs the first command that matches.
 */
export function CommandMenu({ commands, onClose }: { commands: Command[]; onClose: () => void }) {
  const [query, setQuery] = useState("");
  const shown = commands.filter((c) => matches(c, query));

  const run = (c: Command) => {
    onClose();
    c.run();
  };

  return (
    <DialogFrame title="Command menu" titleHidden onClose={onClose} placement="top">
      <Cmdk label="Command" shouldFilter={false} loop>
        <Cmdk.Input
          value={query}
          onValueChange={setQuery}
          placeholder="Add a step or run a command…"
          className="w-full border-b border-slate-200 py-3 pr-12 pl-4 text-sm outline-none"
        />
        <Cmdk.List className="max-h-80 overflow-y-auto py-1">
          {shown.map((c) => (
            <Cmdk.Item
              key={c.id}
              value={c.id}
              onSelect={() => run(c)}
              className="flex cursor-pointer justify-between gap-3 px-4 py-2 text-sm text-slate-700 data-[selected=true]:bg-brand-50 data-[selected=true]:text-brand-700"
            >
              {c.label}
              {c.hint && <span className="truncate text-xs text-slate-500">{c.hint}</span>}
            </Cmdk.Item>
          ))}
          <Cmdk.Empty className="px-4 py-3 text-sm text-slate-500">Nothing matches “{query}”.</Cmdk.Empty>
        </Cmdk.List>
      </Cmdk>
    </DialogFrame>
  );
}
