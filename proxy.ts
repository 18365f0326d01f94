import { NextResponse, type NextRequest } from "next/server";
import { perRequestHeaders } from "@/lib/api/security-headers";
import { unstorableText } from "./lib/schemas/storable";

/**
 * Runs before every page and API route:
 * - refuses a path Next.js cannot decode (`%ED%A0%80`, an unpaired surrogate, is not UTF-8), and
 *   a page whose path or query holds what PostgreSQL cannot store (`%00`): Next.js itself answers
 *   the first with a bare 500 before any route runs, and a page would pass the second to the
 *   database. API routes get the same check from their wrapper (lib/api), which names the field;
 * - sets a fresh CSP nonce per request (Next.js reads it from the request's
 *   Content-Security-Policy header and puts it on its scripts), and HSTS behind https. Static
 *   files get the fixed headers from next.config.ts only.
 */
export function proxy(request: NextRequest) {
  const { csp, hsts } = perRequestHeaders(request.nextUrl, request.headers, process.env.NODE_ENV === "development");
  let response = refusal(request);
  if (!response) {
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers } });
  }
  response.headers.set("content-security-policy", csp);
  if (hsts) response.headers.set("strict-transport-security", hsts);
  return response;
}

/** A 400 for a request whose path or (a page's) query cannot be stored, else null. */
function refusal(request: NextRequest): NextResponse | null {
  const raw = request.nextUrl.pathname;
  const api = raw.startsWith("/api/");
  if (!raw.includes("%") && (api || !request.nextUrl.search)) return null;
  let why: string | null = null;
  try {
    const decoded = decodeURIComponent(raw);
    if (!api) why = unstorableText(decoded) && `path: ${unstorableText(decoded)}`;
  } catch {
    why = "path: has a percent-encoding that is not UTF-8";
  }
  if (!api && !why)
    for (const [key, value] of request.nextUrl.searchParams) {
      const problem = unstorableText(key) ?? unstorableText(value);
      if (problem) {
        why = `query.${key.replace(/\0/g, "\\u0000")}: ${problem}`;
        break;
      }
    }
  if (!why) return null;
  const [field, message] = [why.slice(0, why.indexOf(":")), why.slice(why.indexOf(":") + 2)];
  return api
    ? NextResponse.json(
        { error: { code: "bad_request", message: `${why}.`, fields: [{ path: field, message }] } },
        { status: 400 },
      )
    : new NextResponse(`${why}.`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export const config = {
  // Not Next.js's own files (they never carry a database value).
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
