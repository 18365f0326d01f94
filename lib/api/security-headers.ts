/**
 * The security headers of every response (set by proxy.ts). Kept free of server-only imports:
 * the proxy runs before any route.
 *
 * Scripts: only Next.js's own, by a per-request nonce ('strict-dynamic' lets them load their
 * chunks); no inline script an attacker could inject runs. Styles allow inline ones: React
 * Flow, Recharts and server-rendered `style` attributes need them, and a nonce would switch
 * 'unsafe-inline' off. Nothing may frame the studio, but any site may frame a chat's embed page
 * (`/c/:id/embed`, which shows only a public chat whose makers turned embedding on).
 */
export function contentSecurityPolicy(options: {
  nonce: string;
  https: boolean;
  dev: boolean;
  framable?: boolean;
}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    options.framable ? "frame-ancestors *" : "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** HSTS is sent only when the browser reached us over https (itself, or a proxy that says so). */
export function requestIsHttps(url: URL, headers: Pick<Headers, "get">): boolean {
  return url.protocol === "https:" || forwardedHttps(headers);
}

/** A proxy in front says the browser came over https. */
export const forwardedHttps = (headers: Pick<Headers, "get">): boolean =>
  headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";

export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/**
 * The per-request headers of a response: a CSP with a fresh nonce, and HSTS when the request
 * came over https (null otherwise). Set by proxy.ts, and by the fast lane (lib/api/fast-lane.ts).
 */
export function perRequestHeaders(url: URL, headers: Headers, dev = false): { csp: string; hsts: string | null } {
  const https = requestIsHttps(url, headers);
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const framable = isEmbedPath(url.pathname);
  return {
    csp: contentSecurityPolicy({ nonce, https, dev, framable }),
    hsts: https ? STRICT_TRANSPORT_SECURITY : null,
  };
}

/**
 * The CSP of an API answer served by the fast lane (JSON or an event stream, never a page): it
 * loads nothing and nothing may frame it, so no nonce is needed, and it costs nothing per request.
 */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A chat's embed page, the one page other sites may frame. */
export const isEmbedPath = (pathname: string): boolean => /^\/c\/[A-Za-z0-9_-]{1,64}\/embed\/?$/.test(pathname);

/** The same on every response, static files included (next.config.ts). */
export const staticSecurityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];
/** On every response but a chat's embed page (next.config.ts; path-to-regexp syntax). */
export const frameDenial = {
  source: "/:path((?!c/[A-Za-z0-9_-]+/embed/?$).*)",
  headers: [{ key: "X-Frame-Options", value: "DENY" }],
};
