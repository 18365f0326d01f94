import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { currentViewer } from "@/lib/auth/session";

// Options are built on the first request, not at import: the build never reads secrets.
async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  // next-auth answers /session from the cookie alone; an ended session (signed out, password
  // changed, deactivated) must not still tell a copied cookie's holder whose it was.
  const [action] = (await context.params).nextauth;
  if (request.method === "GET" && action === "session" && !(await currentViewer())) return Response.json({});
  try {
    return await NextAuth(request as never, context as never, authOptions());
  } catch (error) {
    // next-auth parses a JSON body itself and lets a malformed one escape as a 500.
    if (!(error instanceof SyntaxError)) throw error;
    return NextResponse.json(
      {
        error: {
          code: "bad_request",
          message: "body: not valid JSON; sign in with a form post.",
          fields: [{ path: "body", message: "not valid JSON" }],
        },
      },
      { status: 400 },
    );
  }
}

export { handler as GET, handler as POST };
