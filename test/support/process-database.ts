import type { Viewer } from "../../lib/auth/session";
import type { PrismaClient } from "../../lib/db/generated/client";
import { scratchDatabase, type ScratchDatabase } from "./scratch-database";

/**
 * For tests and benchmarks that call lib/ services in this process: points the process's
 * database (DATABASE_URL, or FLOWDECK_DATA_DIR for PGlite) at a scratch database, with a root
 * secret and quiet logs. Set it before lib/ reads its environment (import lib/ after this).
 * `done()` closes the database, drops the scratch one and puts the environment back.
 */
export async function pointAtScratchDatabase(
  label: string,
  env: Record<string, string> = {},
  { empty = false } = {},
): Promise<{ scratch: ScratchDatabase; done(): Promise<void> }> {
  const scratch = await scratchDatabase(label, { migrated: !empty });
  const before = { ...process.env };
  if (scratch.url) process.env.DATABASE_URL = scratch.url;
  else {
    delete process.env.DATABASE_URL;
    process.env.FLOWDECK_DATA_DIR = scratch.dataDir;
  }
  process.env.FLOWDECK_SECRET ??= "s".repeat(40);
  process.env.LOG_LEVEL = "silent";
  Object.assign(process.env, env);
  return {
    scratch,
    async done() {
      const { database } = await import("../../lib/db/client");
      await (await database()).close();
      await scratch.drop();
      for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
      Object.assign(process.env, before);
    },
  };
}

/** A workspace with one member per entry (installation owners where flagged), returned as the Viewers services take. */
export async function seedWorkspace<
  const P extends readonly { email: string; role: Viewer["role"]; installationOwner?: boolean }[],
>(prisma: PrismaClient, slug: string, people: P): Promise<{ [K in keyof P]: Viewer }> {
  const ws = await prisma.workspace.create({ data: { name: slug, slug } });
  const viewers: Viewer[] = [];
  for (const p of people) {
    const user = await prisma.user.create({
      data: {
        email: p.email,
        name: p.email.split("@")[0]!,
        installationOwner: p.installationOwner ?? false,
        memberships: { create: { workspaceId: ws.id, role: p.role } },
      },
    });
    viewers.push({
      user: { id: user.id, email: p.email, name: user.name },
      workspaces: [{ id: ws.id, name: ws.name, role: p.role }],
      workspace: { id: ws.id, name: ws.name },
      role: p.role,
    });
  }
  return viewers as { [K in keyof P]: Viewer };
}
