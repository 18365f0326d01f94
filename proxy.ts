import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy, requestIsHttps, STRICT_TRANSPORT_SECURITY } from "@/lib/api/security-headers";

/**
 * Runs before every page and API route: a fresh CSP nonce per request (Next.js reads it from
 * the request's Content-Security-Policy header and puts it on its scripts), and HSTS behind
 * https. Static files get the fixed headers from next.config.ts only.
 */
export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const https = requestIsHttps(request.nextUrl, request.headers);
  const csp = contentSecurityPolicy({ nonce, https, dev: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  if (https) response.headers.set("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
