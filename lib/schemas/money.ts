/**
 * Money as every page and message writes it, in US dollars: nothing spent is "$0.00"; under a
 * dollar, four decimals (a model call costs fractions of a cent: "$0.0070"); less than a
 * hundredth of a cent, two significant digits ("$0.000012"); a dollar or more, cents with
 * thousands separated ("$1,234.50"). Null (no figure) is "—".
 */
export function usd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return "—";
  const size = Math.abs(amount);
  if (size >= 1 || size === 0) return `${amount < 0 ? "-" : ""}$${dollars.format(size)}`;
  // Under a hundredth of a cent: two significant digits, written out (never "1.2e-7").
  const digits = size >= 0.0001 ? 4 : Math.min(20, 1 - Math.floor(Math.log10(size)));
  return `${amount < 0 ? "-" : ""}$${size.toFixed(digits)}`;
}
const dollars = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
