import "server-only";
import { processSingleton } from "../process/singleton";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "../config/env";
import { derivedKey } from "../config/secrets";
import { db } from "../db/client";
import { authenticate, SignInError } from "./authenticate";
import { clientAddress } from "./client-address";
import { endSession, startSession } from "./sessions";
import { markJoined } from "./joined";

/** OpenID Connect sign-in, switched on by OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET. */
function oidcProviders(): NextAuthOptions["providers"] {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME } = env();
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: "oidc",
      name: OIDC_NAME,
      type: "oauth",
      wellKnown: `${OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: OIDC_CLIENT_ID,
      clientSecret: OIDC_CLIENT_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile: (p: { sub: string; email?: string; name?: string }) => ({
        id: p.sub,
        email: p.email ?? "",
        name: p.name ?? p.email ?? "",
      }),
    },
  ];
}

export const oidcEnabled = () => oidcProviders().length > 0;

/** next-auth's configuration: email + password (and OIDC when configured), JWT sessions. */
export function authOptions(): NextAuthOptions {
  // Self-hosted: without NEXTAUTH_URL, trust the Host header for redirects (set NEXTAUTH_URL
  // behind a proxy that rewrites it).
  if (!env().NEXTAUTH_URL) process.env.AUTH_TRUST_HOST ??= "true";
  return processSingleton<NextAuthOptions>("auth-options", () => ({
    secret: derivedKey("auth").toString("base64"),
    session: { strategy: "jwt", maxAge: 7 * 24 * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          try {
            return await authenticate(
              credentials?.email ?? "",
              credentials?.password ?? "",
              clientAddress(req?.headers),
            );
          } catch (error) {
            // next-auth hands an Error's message to the sign-in form as `error`.
            if (error instanceof SignInError) throw new Error(error.message);
            throw error;
          }
        },
      }),
      ...oidcProviders(),
    ],
    callbacks: {
      /** OIDC users must already be members (invited or created by an admin); no self sign-up. */
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        const email = user.email?.trim().toLowerCase();
        if (!email) return false;
        const prisma = await db();
        const known = await prisma.user.findUnique({
          where: { email },
          include: { memberships: { where: { status: "ACTIVE" } } },
        });
        if (!known || known.memberships.length === 0) return false;
        user.id = known.id;
        await markJoined(known.id);
        return true;
      },
      /** At sign-in the cookie gets its session row (`sid`); ending the row ends the cookie. */
      async jwt({ token, user }) {
        if (user) {
          token.sub = user.id;
          token.sid = await startSession(user.id);
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        if (typeof token.sid === "string") (session as { sid?: string }).sid = token.sid;
        return session;
      },
    },
    events: {
      /** Signing out ends the session itself, not only this browser's copy of the cookie. */
      async signOut({ token }) {
        if (typeof token?.sid === "string") await endSession(token.sid);
      },
    },
  }));
}
