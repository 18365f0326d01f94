"use client";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A form for a JSON object, generated from its shape: a text field per string, a number field
 * per number, a checkbox per yes/no, and a small JSON box for anything nested. Each change is
 * handed back as the whole object's JSON text (the same thing the JSON editor edits).
 */
export function JsonForm({ value, onChange }: { value: Record<string, Json>; onChange(text: string): void }) {
  const set = (key: string, v: Json) => onChange(JSON.stringify({ ...value, [key]: v }, null, 2));
  return (
    <div className="grid gap-3 sm:grid-cols-[10rem_1fr] sm:items-start" data-testid="json-form">
      {Object.entries(value).map(([key, v]) => {
        const id = `field-${key}`;
        const input =
          "block w-full rounded-md border-0 px-2.5 py-1.5 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500";
        return (
          <div key={key} className="contents">
            <label htmlFor={id} className="pt-1.5 font-mono text-xs font-medium break-all text-slate-700">
              {key}
            </label>
            {typeof v === "boolean" ? (
              <input
                id={id}
                type="checkbox"
                className="mt-2 justify-self-start"
                checked={v}
                onChange={(e) => set(key, e.target.checked)}
              />
            ) : typeof v === "number" ? (
              <input
                id={id}
                type="number"
                step="any"
                className={input}
                value={v}
                onChange={(e) => set(key, e.target.value === "" ? 0 : Number(e.target.value))}
              />
            ) : typeof v === "string" ? (
              v.length > 80 || v.includes("\n") ? (
                <textarea id={id} rows={4} className={input} value={v} onChange={(e) => set(key, e.target.value)} />
              ) : (
                <input id={id} className={input} value={v} onChange={(e) => set(key, e.target.value)} />
              )
            ) : (
              <NestedJson
                id={id}
                value={v}
                onChange={(next) => set(key, next)}
                className={`${input} font-mono text-xs`}
              />
            )}
          </div>
        );
      })}
    </div>
  );
}

/** A nested value edited as JSON; kept as typed until it parses. */
function NestedJson({
  id,
  value,
  onChange,
  className,
}: {
  id: string;
  value: Json;
  onChange(v: Json): void;
  className: string;
}) {
  return (
    <textarea
      id={id}
      rows={Math.min(8, JSON.stringify(value, null, 2).split("\n").length)}
      className={className}
      defaultValue={JSON.stringify(value, null, 2)}
      onChange={(e) => {
        try {
          onChange(JSON.parse(e.target.value) as Json);
          e.target.setCustomValidity("");
        } catch (error) {
          e.target.setCustomValidity((error as Error).message);
        }
      }}
    />
  );
}

/** The object a JSON text holds, when it holds one (null otherwise: use the text editor). */
export function jsonObject(text: string): Record<string, Json> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, Json>) : null;
  } catch {
    return null;
  }
}
