import { z } from "zod";
/**
 * What PostgreSQL (and Prisma on the way to it) cannot take, found before anything is stored:
 * a NUL character (text and jsonb refuse it), an unpaired UTF-16 surrogate (not Unicode, so
 * not UTF-8 either), and JSON nested so deep that Prisma's query serializer gives up (its
 * limit is 128 levels counted from the whole query, so values get far fewer). The API wrapper
 * runs this on every request's params, query and body, so each is a 400 naming the field.
 */

/** The deepest nesting of objects and arrays accepted in one request body (the body itself is level 1). */
export const MAX_JSON_DEPTH = 64;

export interface StorableProblem {
  /** Where, such as "body.graph.nodes.0.label". */
  path: string;
  message: string;
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every character PostgreSQL refuses in text: a NUL, and a lone surrogate. */
const UNSTORABLE_CHARS = new RegExp(`\\0|${LONE_SURROGATE.source}`, "g");

/** A key or value as it can be shown in a message (its NULs and lone surrogates escaped). */
function printable(text: string): string {
  return text.replace(UNSTORABLE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Why this text cannot be stored, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes("\0")) return "contains a NUL character (\\u0000), which cannot be stored; remove it";
  const lone = LONE_SURROGATE.exec(text);
  if (lone)
    return `contains an unpaired surrogate (\\u${lone[0].charCodeAt(0).toString(16)}), which is not valid Unicode; send well-formed text`;
  return null;
}

/** Paths are shown down to this many steps; a deeper one ends in "…" in the message. */
const SHOWN_STEPS = 6;

/**
 * The first thing in `value` (a parsed JSON body, a query or route params) that cannot be
 * stored, as a problem naming its path under `where` ("body", "query", "params"); null when
 * everything can. Walks without recursion and stops at the depth limit, so any input is safe.
 */
export function findUnstorable(value: unknown, where: string): StorableProblem | null {
  // Each item keeps its key and parent, not its whole path: paths are built only for a problem
  // (a large body has many values and no problem).
  type Item = { value: unknown; key: string | null; parent: Item | null; depth: number };
  const at = (item: Item) => {
    const path: string[] = [];
    for (let i: Item | null = item; i && i.key !== null; i = i.parent) path.push(printable(i.key));
    return [where, ...path.reverse()];
  };
  const stack: Item[] = [{ value, key: null, parent: null, depth: 0 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === "string") {
      const why = unstorableText(item.value);
      if (why) return { path: at(item).join("."), message: why };
      continue;
    }
    if (item.value === null || typeof item.value !== "object") continue;
    if (item.depth >= MAX_JSON_DEPTH) {
      const shown = at(item)
        .slice(0, SHOWN_STEPS + 1)
        .join(".");
      return {
        path: shown,
        message: `nested more than ${MAX_JSON_DEPTH} levels deep (at ${shown}.…); flatten it`,
      };
    }
    const depth = item.depth + 1;
    if (Array.isArray(item.value)) {
      // Reversed onto the stack, so the first element is looked at first.
      for (let i = item.value.length - 1; i >= 0; i--)
        stack.push({ value: item.value[i], key: String(i), parent: item, depth });
      continue;
    }
    const keys = Object.keys(item.value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const why = unstorableText(key);
      if (why) return { path: [...at(item), printable(key)].join("."), message: `the key ${why}` };
      stack.push({ value: (item.value as Record<string, unknown>)[key], key, parent: item, depth });
    }
  }
  return null;
}

/**
 * JSON text PostgreSQL's jsonb takes, for values made inside the studio rather than sent to it (a
 * step's output, an HTTP answer, a model's words): every NUL and unpaired surrogate in strings and
 * keys becomes U+FFFD. JSON.stringify writes exactly those as `\u` escapes (a NUL as \u0000, a lone
 * surrogate as \udXXX; a pair goes out as it is), so they are found in the text without walking the
 * value; an escape is one only after an even number of backslashes.
 */
export function storableJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (!text.includes("\\u")) return text;
  return text.replace(/(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi, "$1\\ufffd");
}

/** Text PostgreSQL takes: every NUL and unpaired surrogate becomes U+FFFD. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_CHARS, "\uFFFD");
}

/** The largest number an `Int` column holds (PostgreSQL's integer): versions, revisions, event numbers. */
export const INT4_MAX = 2_147_483_647;
/** A count or number kept in an `Int` column: a whole number from `min` up to what the column holds. */
export const storedInt = (min: number) => z.number().int().min(min).max(INT4_MAX, "Too large");
/** The same, read from a path or query string. */
export const storedIntText = (min: number) => z.coerce.number().int().min(min).max(INT4_MAX, "Too large");
