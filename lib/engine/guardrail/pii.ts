import { findPhoneNumbersInText, Metadata, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import validator from "validator";
import type { PiiKind } from "../../schemas/node-kinds/guardrail";

/** A stretch of text a check found, and the placeholder that replaces it when redacted. */
export interface Span {
  start: number;
  end: number;
  /** What was found: a kind of personal data, "blocked", or a pattern's name. */
  what: string;
}

/**
 * Each kind: candidates found by shape, then confirmed by the rules of the thing itself
 * (validator's Luhn and IBAN mod-97 checks, address syntax; SSN and NINO allocation rules), so a
 * 16-digit order number or a date is not taken for a card or a phone. Every repetition is
 * bounded, so no text makes a shape backtrack for long.
 */
const finders: Record<Exclude<PiiKind, "phone">, { shape: RegExp; confirm: (match: string) => boolean }> = {
  email: {
    shape: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g,
    confirm: (m) => validator.isEmail(m),
  },
  card: {
    shape: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    confirm: (m) => validator.isCreditCard(m.replace(/[ -]/g, "")),
  },
  iban: {
    shape: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g,
    confirm: (m) => validator.isIBAN(m.replace(/ /g, "")),
  },
  us_ssn: {
    shape: /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g,
    confirm: (m) => {
      const [area, group, serial] = m.split("-") as [string, string, string];
      return area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" && serial !== "0000";
    },
  },
  uk_nino: {
    shape: /\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
    confirm: (m) => !["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"].includes(m.slice(0, 2)),
  },
  ip: {
    shape: /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g,
    confirm: (m) => validator.isIP(m),
  },
};

/**
 * Digits and separators as libphonenumber reads them: full-width and Arabic-Indic digits besides
 * ASCII ones; no-break and thin spaces, the hyphens and dashes (U+2010–2015, U+2212, full-width),
 * brackets and tildes besides ASCII ones. A number written with them is a number.
 */
const D = "0-9\\uFF10-\\uFF19\\u0660-\\u0669\\u06F0-\\u06F9";
const SEP = " ().\\-/\\u00A0\\u2007\\u2009\\u202F\\u2010-\\u2015\\u2212\\u30FC\\uFF0D\\uFF08\\uFF09\\[\\]~";

/** A stretch that may hold a phone number: 6 to 30 characters of digits and separators, bounded. */
const PHONE_SHAPE = new RegExp(`[+(\\uFF0B]?[${D}][${D}${SEP}]{4,28}[${D}]`, "g");

/** An extension after a number ("ext. 123", "x12"): part of it, as libphonenumber reads it. */
const EXTENSION = /^\s*(?:ext\.?|extension|x)\s*\d{1,7}\b/i;

/**
 * How long libphonenumber may be asked in one pass (one gateway call's prompt, however many
 * texts it holds; one guardrail step; one scan of a streamed answer), and at most how often:
 * each distinct stretch read whole, searched, or tried group by group costs a read (a run with
 * too few digits for a number costs none: most figures of ordinary text, dates, amounts, order
 * numbers). Text made of nothing but figures asks a read per 20 characters at up to half a
 * millisecond each, and held the event loop for seconds (9 s for 600 KB of random digits and
 * spaces). Past the budget a stretch is not read: one with enough digits for a number, with an
 * extension after it, and whatever number-shaped text runs on from it, is redacted as a phone
 * number, so what is too much to read is redacted, not let through (`npm run bench guardrails`).
 */
export const PHONE_READ_MS = 200;
export const PHONE_READS = 20_000;
/** The fewest digits a number with a country code has (4 in some countries, and the code). */
const INTERNATIONAL_DIGITS = 5;

/**
 * The fewest digits a number of `country` written without a country code has, by
 * libphonenumber's own metadata (10 in the US, 6 in Andorra): a run with fewer holds none, and
 * is not read at all (most figures in ordinary text: dates, amounts, order numbers).
 */
const fewestDigits = (() => {
  const known = new Map<string, number>();
  type Plan = { possibleLengths(): number[]; nationalPrefixTransformRule(): unknown };
  return (country: string): number => {
    let n = known.get(country);
    if (n === undefined) {
      const metadata = new Metadata() as Metadata & { numberingPlan?: Plan };
      try {
        metadata.selectNumberingPlan(country as CountryCode);
        const plan = metadata.numberingPlan!;
        // A local number the country lengthens as it is read ("464-1234" in Antigua becomes
        // 268 464 1234): shorter by the digits its rule adds.
        const rule: unknown = plan.nationalPrefixTransformRule();
        const added = typeof rule === "string" ? rule.replace(/\$\d/g, "").replace(/\D/g, "").length : 0;
        n = Math.max(1, Math.min(...plan.possibleLengths()) - added);
      } catch {
        n = INTERNATIONAL_DIGITS - 1;
      }
      known.set(country, n);
    }
    return n;
  };
})();

/**
 * A pass's reads of libphonenumber: how many are left and until when (`PHONE_READS`,
 * `PHONE_READ_MS`), and what each distinct stretch was found to hold (by country), shared by
 * every text of the pass, so a text seen again (an agent's history resent, an answer's held text
 * scanned again) costs nothing more.
 */
export interface PhoneBudget {
  left: number;
  /** How long reading may take, and until when (counted from the pass's first read). */
  ms: number;
  until: number | null;
  whole: Map<string, boolean>;
  searched: Map<string, Found[]>;
}

export const phoneBudget = (reads = PHONE_READS, ms = PHONE_READ_MS): PhoneBudget => ({
  left: reads,
  ms,
  until: null,
  whole: new Map(),
  searched: new Map(),
});

/** A new pass on what an earlier one found (its findings kept): a streamed answer's next scan. */
export function renewed(budget: PhoneBudget, reads = PHONE_READS, ms = PHONE_READ_MS): PhoneBudget {
  budget.left = reads;
  budget.ms = ms;
  budget.until = null;
  return budget;
}

/** Takes one read, if the pass has one left. */
function read(budget: PhoneBudget): boolean {
  if (budget.left <= 0) return false;
  const now = performance.now();
  budget.until ??= now + budget.ms;
  if (now >= budget.until) return (void (budget.left = 0), false);
  budget.left -= 1;
  return true;
}

const DATE = /^(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2})$/;
const DIGIT = new RegExp(`[${D}]`, "g");
const digitsIn = (text: string) => text.match(DIGIT)?.length ?? 0;
const extensionAfter = (text: string, end: number) => EXTENSION.exec(text.slice(end, end + 24))?.[0].length ?? 0;

/**
 * Phone numbers, by libphonenumber, read only where the text is shaped like one (digits and
 * separators, a leading plus or bracket) and not already found as something else (a card): a
 * stretch that is one valid number whole is taken as it is (with an extension after it); any
 * other stretch is searched, with what follows it (an extension), as the whole text would be,
 * and what libphonenumber's search leaves is tried group by group (`numbersAmongGroups`). Each
 * distinct stretch is read and searched once (a long text repeating itself costs no more),
 * within the pass's `budget`; past it, unread (see `PHONE_READ_MS`).
 */
function findPhones(text: string, country: string, found: Span[], budget: PhoneBudget): Span[] {
  const spans: Span[] = [];
  const defaultCountry = country as CountryCode;
  const fewest = fewestDigits(country);
  const { whole, searched } = budget;
  // What else was found, by start: a stretch inside one of them is skipped (stretches come in
  // order, so one walk through them: the furthest end of those that start before the stretch).
  const before = [...found].sort((a, b) => a.start - b.start);
  let next = 0;
  let reach = -1;
  // Where the numbers found so far end, and the last one redacted unread.
  let phoneReach = -1;
  let unreadEnd = -1;
  const take = (start: number, end: number) => {
    spans.push({ start, end, what: "phone" });
    phoneReach = Math.max(phoneReach, end);
  };
  for (const m of text.matchAll(PHONE_SHAPE)) {
    const start = m.index;
    const end = start + m[0].length;
    while (next < before.length && before[next]!.start <= start) reach = Math.max(reach, before[next++]!.end);
    if (reach >= end || phoneReach >= end) continue;
    // Past the budget: redacted unread, to the end of its number-shaped run, with an extension after it.
    const unread = () => {
      const runEnd = start + Math.max(m[0].length, runAt(text, start).length);
      unreadEnd = runEnd + extensionAfter(text, runEnd);
      take(start, unreadEnd);
    };
    // The rest of a number-shaped run redacted unread (`PHONE_SHAPE` cuts at 30 characters): the same.
    if (unreadEnd >= 0 && start >= unreadEnd && BETWEEN.test(text.slice(unreadEnd, start))) {
      unread();
      continue;
    }
    // Fewer digits in the whole run than a number of the country has (or any number, after a
    // plus): no number, by libphonenumber's own rules; nothing to read.
    const stretch = text.slice(start, end + 24);
    const run = runAt(stretch, 0);
    const least = /^[+\uFF0B]|^\(?0(?:0|11)/.test(run) ? INTERNATIONAL_DIGITS : fewest;
    if (digitsIn(run) < least) continue;
    const wholeKey = `${country} ${m[0]}`;
    const stretchKey = `${country} ${stretch}`;
    let valid = whole.get(wholeKey);
    if (valid === undefined) {
      if (!read(budget)) {
        unread();
        continue;
      }
      // A date is no number whole, as libphonenumber's search also holds ("05/01/2024", "2024-05-01").
      valid = !DATE.test(m[0]) && (parsePhoneNumberFromString(m[0], defaultCountry)?.isValid() ?? false);
      whole.set(wholeKey, valid);
    }
    if (valid) {
      take(start, end + extensionAfter(text, end));
      continue;
    }
    let inside: Found[] | undefined = searched.get(stretchKey);
    if (!inside) {
      if (!read(budget)) {
        unread();
        continue;
      }
      const byLibrary = findPhoneNumbersInText(stretch, { defaultCountry });
      const among = numbersAmongGroups(stretch, m[0].length, byLibrary, defaultCountry, budget, least);
      inside = [...byLibrary, ...among.found];
      // The budget ran out among the groups: the rest of the run is redacted unread, and this
      // stretch's reading, cut short, is not kept for its next sight.
      if (among.unreadFrom === null) searched.set(stretchKey, inside);
      else if (digitsIn(stretch.slice(among.unreadFrom, among.runEnd)) >= least) {
        inside.push({ startsAt: among.unreadFrom, endsAt: among.runEnd });
        unreadEnd = start + among.runEnd;
      }
    }
    for (const f of inside) take(start + f.startsAt, start + f.endsAt);
  }
  return spans;
}

type Found = { startsAt: number; endsAt: number };

/** The number-shaped run that starts where it is run (`lastIndex`), as `PHONE_SHAPE` but not cut at 30 characters. */
const RUN = new RegExp(`[+(\\uFF0B]?[${D}][${D}${SEP}]*[${D}]`, "y");
const runAt = (text: string, at: number): string => {
  RUN.lastIndex = at;
  return RUN.exec(text)?.[0] ?? "";
};
/** Only separators, at most two: what lies between a number cut at 30 characters and its rest. */
const BETWEEN = new RegExp(`^[${SEP}]{0,2}$`);

/**
 * Numbers libphonenumber's search leaves in a stretch: written one after another with only
 * spaces between ("415 555 0132 212 555 0187"), or with stray digits beside them ("room 4 415
 * 555 0132", "Flat 12 020 7183 8750"). The stretch's number-shaped run of groups (split at
 * spaces, up to the first that is not one) that nothing found covers is tried from the left: the
 * longest run of up to four side by side, holding 7 to 15 digits, each after the first of 3
 * digits or more (as numbers are grouped; a row of two-digit scores is no phone number), that is
 * one valid number; a number taken, the next group after it. Each try is a read of the budget;
 * where none is left, `unreadFrom` says where the groups not yet tried begin.
 */
function numbersAmongGroups(
  stretch: string,
  readWhole: number,
  taken: Found[],
  country: CountryCode,
  budget: PhoneBudget,
  least: number,
): { found: Found[]; unreadFrom: number | null; runEnd: number } {
  const groups = [...runAt(stretch, 0).matchAll(/\S+/g)]
    .map((g, at) => ({ at, start: g.index, end: g.index + g[0].length, digits: digitsIn(g[0]), text: g[0] }))
    .filter((g) => !taken.some((t) => t.startsAt <= g.start && g.end <= t.endsAt));
  const found: Found[] = [];
  const runEnd = groups.at(-1)?.end ?? 0;
  let i = 0;
  while (i < groups.length) {
    let next = i + 1;
    // After a plus, a trunk 0 or an international prefix, groups of any size ("06 12 34 56 78").
    const dialled = /^[+(\uFF0B]|^\(?0/.test(groups[i]!.text);
    for (let j = Math.min(i + (dialled ? 5 : 3), groups.length - 1); j >= i; j--) {
      // Only groups side by side in the stretch (none found between them), grouped as numbers are.
      if (groups[j]!.at - groups[i]!.at !== j - i) continue;
      let digits = groups[i]!.digits;
      let grouped = true;
      for (let k = i + 1; k <= j; k++) {
        digits += groups[k]!.digits;
        grouped &&= dialled || groups[k]!.digits >= 3;
      }
      if (!grouped || digits < Math.min(7, least) || digits > 17) continue;
      const startsAt = groups[i]!.start;
      const endsAt = groups[j]!.end;
      if (startsAt === 0 && endsAt === readWhole) continue; // read whole already: no number
      if (!read(budget)) return { found, unreadFrom: startsAt, runEnd };
      if (parsePhoneNumberFromString(stretch.slice(startsAt, endsAt), country)?.isValid()) {
        found.push({ startsAt, endsAt });
        next = j + 1;
        break;
      }
    }
    i = next;
  }
  return { found, unreadFrom: null, runEnd };
}

/**
 * The personal data of the given kinds in `text`, in order, without overlaps (where two
 * overlap, the one that starts first, then the longer, is kept: a card number is not also
 * read as a phone number). `budget`: what the pass may still ask libphonenumber (by default, one
 * text is a pass of its own).
 */
export function findPii(
  text: string,
  kinds: readonly PiiKind[],
  phoneCountry = "US",
  budget: PhoneBudget = phoneBudget(),
): Span[] {
  const spans: Span[] = [];
  for (const kind of kinds) {
    if (kind === "phone") continue;
    const { shape, confirm } = finders[kind];
    for (const m of text.matchAll(shape))
      if (confirm(m[0])) spans.push({ start: m.index, end: m.index + m[0].length, what: kind });
  }
  if (kinds.includes("phone")) spans.push(...findPhones(text, phoneCountry, spans, budget));
  return withoutOverlaps(spans);
}

/**
 * Sorted by start (then longest first), overlapping spans merged into one under the first's
 * name: a card number is not also counted as a phone, and redacting never leaves the tail of
 * a finding that reached past another in clear text.
 */
export function withoutOverlaps(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  for (const s of sorted) {
    const last = kept[kept.length - 1];
    if (last && s.start < last.end) kept[kept.length - 1] = { ...last, end: Math.max(last.end, s.end) };
    else kept.push(s);
  }
  return kept;
}

/** The text with each span replaced by `[what]`. Spans must not overlap (`withoutOverlaps`). */
export function redact(text: string, spans: Span[]): string {
  let out = "";
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, s.start) + `[${s.what}]`;
    at = s.end;
  }
  return out + text.slice(at);
}
