"use client";

import { useHydrated } from "./hydrated";
import { moment } from "./moment";

/**
 * A moment written as `moment()` does, in the reader's own time zone and locale: the server does
 * not know them, so the text is written once the page runs in the browser (the server sends the
 * `<time>` alone), never the server's zone left standing.
 */
export function Moment({
  at,
  seconds = false,
  dayOnly = false,
}: {
  at: string | Date | number;
  seconds?: boolean;
  dayOnly?: boolean;
}) {
  const hydrated = useHydrated();
  const iso = new Date(at).toISOString();
  return <time dateTime={iso}>{hydrated ? moment(at, { seconds, dayOnly }) : ""}</time>;
}
