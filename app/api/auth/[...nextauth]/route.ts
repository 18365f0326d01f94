import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// Options are built on the first request, not at import: the build never reads secrets.
function handler(request: Request, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(request as never, context as never, authOptions());
}

export { handler as GET, handler as POST };
