/**
 * Whether a write failed on a unique constraint: Prisma's P2002, or PostgreSQL's 23505 as a
 * driver adapter passes it up from inside an interactive transaction (PGlite's among them).
 */
export function isUniqueViolation(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth += 1
  ) {
    if (e.code === "P2002" || e.code === "23505") return true;
    if (typeof e.message === "string" && e.message.includes("violates unique constraint")) return true;
    e = e.cause as typeof e;
  }
  return false;
}
