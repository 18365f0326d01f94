import "server-only";
import { randomBytes } from "node:crypto";

/** A URL-safe, unique slug for a workspace name ("Acme Research" → "acme-research"). */
export async function uniqueSlug(
  tx: { workspace: { findUnique(args: { where: { slug: string } }): Promise<unknown> } },
  name: string,
): Promise<string> {
  const base =
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 40) || "workspace";
  if (!(await tx.workspace.findUnique({ where: { slug: base } }))) return base;
  return `${base}-${randomBytes(3).toString("hex")}`;
}
