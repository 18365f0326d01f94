import "server-only";

/**
 * Text from outside (an MCP server's stderr or error message) with the studio's own secrets
 * and the given values replaced by "[redacted]", for the log and the UI. A stdio server's
 * command is trusted by an installation owner, yet what it prints is still not to be trusted
 * with secrets it may have found on the machine.
 */
const STUDIO_SECRETS = ["FLOWDECK_SECRET", "DATABASE_URL", "SMTP_URL", "OIDC_CLIENT_SECRET", "NEXTAUTH_SECRET"];

export function redactSecrets(text: string, extra: string[] = []): string {
  const values = [...STUDIO_SECRETS.map((name) => process.env[name]), ...extra, ...urlPasswords()]
    .filter((v): v is string => typeof v === "string" && v.length >= 6)
    .sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of values) out = out.split(value).join("[redacted]");
  return out;
}

/** The passwords inside the studio's connection URLs, which may appear on their own. */
function urlPasswords(): string[] {
  return ["DATABASE_URL", "SMTP_URL"].flatMap((name) => {
    try {
      const password = decodeURIComponent(new URL(process.env[name] ?? "").password);
      return password ? [password] : [];
    } catch {
      return [];
    }
  });
}

/** A reason fit for the UI: the first line, control characters removed, secrets redacted, at most `max` characters. */
export function shortReason(text: string, extra: string[] = [], max = 200): string {
  const firstLine = text.split("\n")[0]!.replace(/[\u0000-\u001f\u007f]/g, " ");
  return redactSecrets(firstLine, extra).slice(0, max);
}
