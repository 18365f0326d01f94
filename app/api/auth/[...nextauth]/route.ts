import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { currentViewer } from "@/lib/auth/session";

// Options are built on the first request, not at import: the build never reads secrets.
async function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  // next-auth answers /session from the cookie alone; an ended session (signed out, password
  // changed, deactivated) must not still tell a copied cookie's holder whose it was.
  const [action] = (await context.params).nextauth;
  if (request.method === "GET" && action === "session" && !(await currentViewer())) return Response.json({});
  return NextAuth(request as never, context as never, authOptions());
}

export { handler as GET, handler as POST };
