import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authOptions } from "@/lib/auth/options";

// Options are built on the first request, not at import: the build never reads secrets.
async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
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
