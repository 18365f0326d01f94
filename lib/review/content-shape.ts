export type Shape =
  | { kind: "json"; value: object }
  | { kind: "markdown"; text: string }
  | { kind: "text"; text: string }
  | { kind: "empty" };

/** What a value is, for showing it readably: JSON (an object or array, or text holding one), markdown, or plain text. */
export function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined || value === "") return { kind: "empty" };
  if (typeof value === "object") return { kind: "json", value };
  const text = String(value);
  const trimmed = text.trim();
  if ((trimmed.startsWith("{") && trimmed.endsWith("}")) || (trimmed.startsWith("[") && trimmed.endsWith("]"))) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed && typeof parsed === "object") return { kind: "json", value: parsed };
    } catch {
      // not JSON after all
    }
  }
  if (/(^|\n)\s{0,3}(#{1,6}\s|[-*+]\s|\d+\.\s|>\s|```)|\*\*[^*]+\*\*|\[[^\]]+\]\([^)]+\)|\|.+\|/.test(text))
    return { kind: "markdown", text };
  return { kind: "text", text };
}
