/**
 * How the demo model answers a question that names its options ("Answer with one word, billing
 * or other: <input>"): it picks one of them from the input, deterministically, so every branch
 * of a workflow that routes on the answer can be tried offline.
 *
 * - An option the input names (as a whole word) wins, when the input names exactly one;
 * - otherwise a stable hash of the input picks, so the same input always takes the same branch
 *   and different inputs spread over every option.
 */

/** "one word, a, b or c: rest" / "one of a, b or c: rest" → the options and the rest. */
const OPTION_LIST =
  /\bone\s+(?:word|of(?:\s+these)?|option)\b[\s,:(-]*((?:[a-z][\w-]*\s*,\s*)*[a-z][\w-]*,?\s+or\s+[a-z][\w-]*)\b\s*\)?\s*[:.\n-]?\s*([\s\S]*)$/i;

/** The options an instruction names, and the input it asks about; undefined when it names none. */
export function namedOptions(ask: string): { options: string[]; input: string } | undefined {
  const match = OPTION_LIST.exec(ask);
  if (!match) return undefined;
  const options = [
    ...new Set(
      match[1]!
        .split(/\s*,\s*|\s+or\s+/i)
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  ];
  if (options.length < 2) return undefined;
  return { options, input: match[2]!.trim() || ask };
}

/** FNV-1a, 32 bits: the same text gives the same number on every machine and every run. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One of `options`, chosen from `input`: the one option it names, else by a stable hash. */
export function chooseOption<T>(options: readonly T[], input: string): T {
  const named = options.filter((o) => new RegExp(`\\b${escape(String(o))}\\b`, "i").test(input));
  if (named.length === 1) return named[0]!;
  return options[stableHash(input.trim().toLowerCase()) % options.length]!;
}
