/**
 * Where a stored secret may be sent: the origin (scheme, host, port) it was entered for. A
 * provider's key or a server's secret headers are kept across an edit only while the address
 * stays on that origin; a new one needs the secret entered again, so an admin cannot send a
 * stored secret to a host of their choosing. Shared by the API (the rule) and the forms (the hint).
 */
export function sameDestination(before: string, after: string): boolean {
  const origin = (url: string) => {
    try {
      return new URL(url).origin.toLowerCase();
    } catch {
      return url.trim();
    }
  };
  return origin(before) === origin(after);
}

/** The address a model provider's calls go to: its base URL, or the vendor's own. */
export function providerDestination(
  kind: "OPENAI" | "ANTHROPIC" | "OPENAI_COMPATIBLE",
  baseUrl: string | null,
): string {
  return baseUrl || (kind === "ANTHROPIC" ? "https://api.anthropic.com/v1" : "https://api.openai.com/v1");
}

/** A host a workspace's HTTP Request steps may reach, as the admin page shows it. */
export interface DestinationView {
  id: string;
  pattern: string;
  allowPrivate: boolean;
  requireApproval: boolean;
  createdAt: string;
}
