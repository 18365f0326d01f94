import { NextResponse, type NextRequest } from "next/server";
import { unstorableText } from "./lib/schemas/storable";

/**
 * Refuses a path Next.js cannot decode (`%ED%A0%80`, an unpaired surrogate, is not UTF-8) or
 * whose decoded form PostgreSQL cannot store (`%00`). Next.js itself answers such a path with
 * a bare 500 before any route runs, and a page would pass `%00` to the database; this is a 400
 * saying what is wrong instead. Everything else goes on untouched.
 */
export function proxy(request: NextRequest) {
  const raw = request.nextUrl.pathname;
  if (!raw.includes("%")) return NextResponse.next();
  const api = raw.startsWith("/api/");
  let why: string | null;
  try {
    // A NUL in an API path reaches the route, whose wrapper names the parameter (lib/api).
    const decoded = decodeURIComponent(raw);
    why = api ? null : unstorableText(decoded);
  } catch {
    why = "has a percent-encoding that is not UTF-8";
  }
  if (!why) return NextResponse.next();
  const message = `path: ${why}.`;
  return api
    ? NextResponse.json(
        { error: { code: "bad_request", message, fields: [{ path: "path", message: why }] } },
        { status: 400 },
      )
    : new NextResponse(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
}

export const config = {
  // Not Next.js's own files (they never carry a database value).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
