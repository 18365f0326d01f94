import { useEffect, useState } from "react";

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "3 minutes ago", "in 2 hours": a moment relative to now, in the largest whole unit. */
export function relative(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(seconds, "second");
  if (abs < 2700) return rtf.format(Math.round(seconds / 60), "minute");
  if (abs < 64_800) return rtf.format(Math.round(seconds / 3600), "hour");
  return rtf.format(Math.round(seconds / 86_400), "day");
}

/**
 * A moment that has passed ("3 minutes ago", "now"): never "in 4 seconds", when `now` is a few
 * seconds stale (it moves every 30 s) or the browser's clock is behind the server's.
 */
export function ago(iso: string, now = Date.now()): string {
  return relative(iso, Math.max(now, new Date(iso).getTime()));
}

/** Now, as state that moves on every `everyMs` (for "due in 5 minutes" and "overdue" to stay true). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
