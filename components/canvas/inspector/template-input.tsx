"use client";

import { useId, useMemo, useRef, useState } from "react";

export interface ReferenceOption {
  /** What is inserted between the braces: nodes.<id>.output.<field> */
  value: string;
  /** The upstream node's label, shown beside it. */
  nodeLabel: string;
}

/**
 * A text area for template text: typing "{{" opens a list of references to the outputs of
 * upstream nodes; arrow keys and Enter (or a click) insert one. `bare` (a JSONata expression,
 * where references are written without braces): the path being typed opens the list of the
 * references it is part of, and the one picked replaces it.
 */
export function TemplateInput({
  value,
  onChange,
  options,
  rows = 3,
  mono = false,
  bare = false,
  invalid,
  ...aria
}: {
  value: string;
  onChange: (v: string) => void;
  options: ReferenceOption[];
  rows?: number;
  mono?: boolean;
  bare?: boolean;
  invalid?: boolean;
  id?: string;
  "aria-describedby"?: string;
}) {
  const listId = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  const [query, setQuery] = useState<{ start: number; text: string } | null>(null);
  const [active, setActive] = useState(0);

  const matches = useMemo(
    () =>
      query
        ? options
            .filter((o) => o.value.toLowerCase().includes(query.text.toLowerCase()))
            // A path written out already is not offered again (Enter goes on to a new line).
            .filter((o) => !bare || o.value !== query.text)
            .slice(0, 12)
        : [],
    [options, query, bare],
  );

  function track(text: string, caret: number) {
    const before = text.slice(0, caret);
    if (bare) {
      // The path at the caret (not a string's contents: an odd number of quotes before it).
      const path = /[A-Za-z_][\w.]*$/.exec(before)?.[0] ?? "";
      const quoted = (before.match(/"/g)?.length ?? 0) % 2 === 1;
      if (path && !quoted) {
        setQuery({ start: caret - path.length, text: path });
        setActive(0);
      } else setQuery(null);
      return;
    }
    const open = before.lastIndexOf("{{");
    if (open >= 0 && !before.slice(open).includes("}}") && /^[\w.\s-]*$/.test(before.slice(open + 2))) {
      setQuery({ start: open, text: before.slice(open + 2).trim() });
      setActive(0);
    } else setQuery(null);
  }

  function insert(option: ReferenceOption) {
    const el = ref.current;
    if (!el || !query) return;
    const caret = el.selectionStart;
    const next = bare
      ? `${value.slice(0, query.start)}${option.value}${value.slice(caret).replace(/^[\w.]*/, "")}`
      : `${value.slice(0, query.start)}{{${option.value}}}${value.slice(caret).replace(/^[\w.-]*\}\}/, "")}`;
    onChange(next);
    setQuery(null);
    const at = query.start + option.value.length + (bare ? 0 : 4);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(at, at);
    });
  }

  return (
    <div className="relative">
      <textarea
        {...aria}
        ref={ref}
        rows={rows}
        value={value}
        aria-invalid={invalid || undefined}
        aria-autocomplete="list"
        aria-controls={matches.length ? listId : undefined}
        spellCheck={!mono}
        onChange={(e) => {
          onChange(e.target.value);
          track(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={(e) => {
          if (!matches.length) return;
          const keys: Record<string, () => void> = {
            ArrowDown: () => setActive((a) => (a + 1) % matches.length),
            ArrowUp: () => setActive((a) => (a - 1 + matches.length) % matches.length),
            Enter: () => insert(matches[active]!),
            Tab: () => insert(matches[active]!),
            Escape: () => setQuery(null),
          };
          if (keys[e.key]) {
            e.preventDefault();
            e.stopPropagation();
            keys[e.key]!();
          }
        }}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
        className={`block w-full resize-y rounded-md border-0 bg-white px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 aria-invalid:ring-red-400 ${mono ? "font-mono text-xs" : ""}`}
      />
      {matches.length > 0 && (
        <ul
          id={listId}
          role="listbox"
          aria-label="References"
          className="absolute z-20 mt-1 max-h-56 w-full overflow-auto rounded-md bg-white py-1 text-xs shadow-lg ring-1 ring-slate-200"
        >
          {matches.map((o, i) => (
            <li
              key={o.value}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                insert(o);
              }}
              className={`flex cursor-pointer justify-between gap-2 px-2.5 py-1.5 ${i === active ? "bg-brand-50 text-brand-700" : "text-slate-700"}`}
            >
              <span className="font-mono">{o.value}</span>
              <span className="truncate text-slate-500">{o.nodeLabel}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
