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

/**
 * The fields of the unique constraint a write failed on (the workspace's own id left out: every
 * name is unique within its workspace), from Prisma's `meta` or PostgreSQL's constraint name
 * (`<Model>_<field>_…_key`); empty when the error does not say.
 */
export function uniqueFields(error: unknown): string[] {
  for (
    let e = error as
        { meta?: Record<string, unknown>; constraint?: unknown; message?: unknown; cause?: unknown } | undefined,
      depth = 0;
    e && depth < 5;
    depth += 1
  ) {
    const meta = e.meta as
      | { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: unknown; index?: unknown } } } }
      | undefined;
    const fields = meta?.driverAdapterError?.cause?.constraint?.fields ?? meta?.target;
    if (Array.isArray(fields) && fields.every((f) => typeof f === "string"))
      return fields.map((f) => f.replace(/^"|"$/g, "")).filter((f) => f !== "workspaceId");
    const name =
      (typeof e.constraint === "string" && e.constraint) ||
      (typeof fields === "string" && fields) ||
      (typeof meta?.driverAdapterError?.cause?.constraint?.index === "string" &&
        meta.driverAdapterError.cause.constraint.index) ||
      (typeof e.message === "string" && /unique constraint "([^"]+)"/.exec(e.message)?.[1]);
    if (name)
      return name
        .split("_")
        .slice(1, -1)
        .filter((f) => f !== "workspaceId");
    e = e.cause as typeof e;
  }
  return [];
}
