/** The studio's one way to write a moment, in the reader's own locale and time zone. */
const formats = new Map<string, Intl.DateTimeFormat>();

function format(year: boolean, seconds: boolean): Intl.DateTimeFormat {
  const key = `${year}${seconds}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, {
      day: "numeric",
      month: "short",
      ...(year && { year: "numeric" }),
      hour: "2-digit",
      minute: "2-digit",
      ...(seconds && { second: "2-digit" }),
    });
    formats.set(key, f);
  }
  return f;
}

/**
 * "3 Dec, 22:41" (as the reader's locale writes it): the year only when it is not this one, the
 * seconds when asked for (a log of deliveries a few seconds apart).
 */
export function moment(at: Date | string | number, options: { seconds?: boolean } = {}): string {
  const date = new Date(at);
  return format(date.getFullYear() !== new Date().getFullYear(), !!options.seconds).format(date);
}
