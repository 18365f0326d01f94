/**
 * How the studio's `moment()` writes `at` for a reader in `timeZone` (the browsers here speak
 * en-US): "Dec 7, 03:41 AM", with the year when it is not this one and the seconds when asked.
 */
export function momentIn(at: Date, timeZone: string, options: { seconds?: boolean } = {}): string {
  return new Intl.DateTimeFormat("en-US", {
    day: "numeric",
    month: "short",
    ...(at.getFullYear() !== new Date().getFullYear() && { year: "numeric" }),
    hour: "2-digit",
    minute: "2-digit",
    ...(options.seconds && { second: "2-digit" }),
    timeZone,
  }).format(at);
}
