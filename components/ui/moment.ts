/** The studio's one way to write a moment, in the reader's own locale and time zone. */
const formats = new Map<string, Intl.DateTimeFormat>();

type Detail = "day" | "minute" | "second";

function format(year: boolean, detail: Detail): Intl.DateTimeFormat {
  const key = `${year}${detail}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, {
      day: "numeric",
      month: "short",
      ...(year && { year: "numeric" }),
      ...(detail !== "day" && { hour: "2-digit", minute: "2-digit" }),
      ...(detail === "second" && { second: "2-digit" }),
    });
    formats.set(key, f);
  }
  return f;
}

/**
 * "3 Dec, 22:41" (as the reader's locale writes it): the year only when it is not this one, the
 * seconds when asked for (a log of calls a few seconds apart), the day alone for a date such as
 * an expiry.
 */
export function moment(at: Date | string | number, options: { seconds?: boolean; dayOnly?: boolean } = {}): string {
  const date = new Date(at);
  const detail: Detail = options.dayOnly ? "day" : options.seconds ? "second" : "minute";
  return format(date.getFullYear() !== new Date().getFullYear(), detail).format(date);
}
