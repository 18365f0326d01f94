import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
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

/** A stretch that may hold a phone number: 6 to 30 characters of digits and separators, bounded. */
const PHONE_SHAPE = /[+(]?\d[\d ().\-/]{4,28}\d/g;

/** An extension after a number ("ext. 123", "x12"): part of it, as libphonenumber reads it. */
const EXTENSION = /^\s*(?:ext\.?|extension|x)\s*\d{1,7}\b/i;

/**
 * How much libphonenumber may be asked in one pass (one gateway call's prompt, however many
 * texts it holds; one guardrail step; one streamed answer): each distinct stretch read whole, and
 * each one searched, costs one. Ordinary text asks a few per kilobyte; text made of nothing but
 * figures asks one per 20 characters, at up to half a millisecond each on this machine, and held
 * the event loop for seconds (9 s for 600 KB of random digits and spaces). Past the budget, a
 * stretch is not read: one of 7 digits or more is taken as a phone number whole, so what is
 * too much to read is redacted, never let through (`npm run bench guardrails`).
 */
export const PHONE_READS = 500;

/**
 * A pass's reads of libphonenumber: how many are left (`PHONE_READS`), and what each distinct
 * stretch was found to hold (by country), shared by every text of the pass, so a text seen again
 * (an agent's history resent, an answer's held text scanned again) costs nothing more.
 */
export interface PhoneBudget {
  left: number;
  whole: Map<string, boolean>;
  searched: Map<string, Found[]>;
}

export const phoneBudget = (reads = PHONE_READS): PhoneBudget => ({
  left: reads,
  whole: new Map(),
  searched: new Map(),
});

const DIGIT = /\d/g;
const digitsIn = (text: string) => text.match(DIGIT)?.length ?? 0;

/**
 * Phone numbers, by libphonenumber, read only where the text is shaped like one (digits and
 * separators, a leading plus or bracket) and not already found as something else (a card): a
 * stretch that is one valid number whole is taken as it is (with an extension after it); any
 * other stretch is searched, with what follows it (an extension), as the whole text would be,
 * and what libphonenumber's search leaves is tried group by group (`numbersAmongGroups`). Each distinct
 * stretch is read and searched once (a long text repeating itself costs no more), within the
 * pass's `budget`.
 */
function findPhones(text: string, country: string, found: Span[], budget: PhoneBudget): Span[] {
  const spans: Span[] = [];
  const defaultCountry = country as CountryCode;
  const { whole, searched } = budget;
  // What else was found, by start: a stretch inside one of them is skipped (stretches come in
  // order, so one walk through them: the furthest end of those that start before the stretch).
  const before = [...found].sort((a, b) => a.start - b.start);
  let next = 0;
  let reach = -1;
  for (const m of text.matchAll(PHONE_SHAPE)) {
    const start = m.index;
    const end = start + m[0].length;
    while (next < before.length && before[next]!.start <= start) reach = Math.max(reach, before[next++]!.end);
    if (reach >= end) continue;
    let valid = whole.get(`${country} ${m[0]}`);
    if (valid === undefined) {
      if (budget.left <= 0) {
        if (digitsIn(m[0]) >= 7) spans.push({ start, end, what: "phone" });
        continue;
      }
      budget.left -= 1;
      valid = parsePhoneNumberFromString(m[0], defaultCountry)?.isValid() ?? false;
      whole.set(`${country} ${m[0]}`, valid);
    }
    if (valid) {
      spans.push({ start, end: end + (EXTENSION.exec(text.slice(end, end + 24))?.[0].length ?? 0), what: "phone" });
      continue;
    }
    const stretch = text.slice(start, end + 24);
    let inside: Found[] | undefined = searched.get(`${country} ${stretch}`);
    if (!inside) {
      if (budget.left <= 0) {
        if (digitsIn(m[0]) >= 7) spans.push({ start, end, what: "phone" });
        continue;
      }
      budget.left -= 1;
      const byLibrary = findPhoneNumbersInText(stretch, { defaultCountry });
      inside = [...byLibrary, ...numbersAmongGroups(m[0], byLibrary, defaultCountry, budget)];
      searched.set(`${country} ${stretch}`, inside);
    }
    for (const f of inside) spans.push({ start: start + f.startsAt, end: start + f.endsAt, what: "phone" });
  }
  return spans;
}

type Found = { startsAt: number; endsAt: number };

/**
 * Numbers libphonenumber's search leaves in a stretch: written one after another with only
 * spaces between ("415 555 0132 212 555 0187"), or with stray digits beside them ("room 4 415
 * 555 0132", "Flat 12 020 7183 8750"). The stretch's groups (split at spaces) that nothing found
 * covers are tried from the left, each the longest run of up to six of them holding 7 to 15
 * digits that is one valid number; a run taken, the next group after it. Each try is a read of
 * the budget; a long run of short groups holds too few digits to try at all.
 */
function numbersAmongGroups(stretch: string, taken: Found[], country: CountryCode, budget: PhoneBudget): Found[] {
  const groups = [...stretch.matchAll(/\S+/g)]
    .map((g, at) => ({ at, start: g.index, end: g.index + g[0].length, digits: digitsIn(g[0]) }))
    .filter((g) => !taken.some((t) => g.start < t.endsAt && t.startsAt < g.end));
  const out: Found[] = [];
  let i = 0;
  while (i < groups.length) {
    let next = i + 1;
    for (let j = Math.min(i + 5, groups.length - 1); j >= i; j--) {
      // Only groups side by side in the stretch (none found between them).
      if (groups[j]!.at - groups[i]!.at !== j - i) continue;
      let digits = 0;
      for (let k = i; k <= j; k++) digits += groups[k]!.digits;
      if (digits < 7 || digits > 15) continue;
      const startsAt = groups[i]!.start;
      const endsAt = groups[j]!.end;
      if (startsAt === 0 && endsAt === stretch.length) continue; // read whole already: no number
      if (budget.left <= 0) return out;
      budget.left -= 1;
      if (parsePhoneNumberFromString(stretch.slice(startsAt, endsAt), country)?.isValid()) {
        out.push({ startsAt, endsAt });
        next = j + 1;
        break;
      }
    }
    i = next;
  }
  return out;
}

/**
 * The personal data of the given kinds in `text`, in order, without overlaps (where two
 * overlap, the one that starts first, then the longer, is kept: a card number is not also
 * read as a phone number). `budget`: what the pass may still ask libphonenumber (one text: a pass of its own).
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
