/** The p-th percentile of xs (nearest rank). */
export const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
/** Rounded to two decimals, for printing. */
export const r2 = (x: number) => Math.round(x * 100) / 100;
/** The route's own time from its Server-Timing header (`app;dur=…`), in ms. */
export const serverMs = (headers: Record<string, string>) =>
  Number(/app;dur=([\d.]+)/.exec(headers["server-timing"] ?? "")?.[1] ?? NaN);
