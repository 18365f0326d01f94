import "server-only";
import path from "node:path";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { Client } from "pg";
import { PrismaClient } from "./generated/client";
import { env } from "../config/env";
import { logger } from "../log/logger";
import { migrate, migrationState, readMigrations, type MigrationState } from "./migrate";
import { pgSession, pgliteSession, type SqlSession } from "./sql-session";

/**
 * The database of this process: PostgreSQL through `pg` when DATABASE_URL is set, otherwise
 * the embedded PGlite under FLOWDECK_DATA_DIR. Opening it applies pending migrations first,
 * so nothing above lib/db ever sees an old schema.
 */
export interface Database {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  /** A short-lived raw session (its own connection on Postgres; the one session on PGlite). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

async function openPostgres(url: string): Promise<Database> {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return {
    kind: "postgres",
    prisma,
    async withSession(fn) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        return await fn(pgSession(client));
      } finally {
        await client.end();
      }
    },
    close: () => prisma.$disconnect(),
  };
}

async function openPGlite(dataDir: string): Promise<Database> {
  const dir = path.resolve(dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: "pglite",
    prisma,
    withSession: (fn) => fn(pgliteSession(pglite)),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

/** Opens a database and brings its schema up to date. Exported for tests and scripts. */
export async function openDatabase(options: { url?: string; dataDir: string }): Promise<Database> {
  const db = options.url ? await openPostgres(options.url) : await openPGlite(options.dataDir);
  try {
    const files = await readMigrations();
    const applied = await db.withSession((s) => migrate(s, files));
    if (applied.length) logger().info({ applied, kind: db.kind }, "database migrations applied");
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return db;
}

const holder = globalThis as unknown as { __flowdeckDb?: Promise<Database> };

/** The process-wide database, opened (and migrated) on first use. */
export function database(): Promise<Database> {
  if (!holder.__flowdeckDb) {
    const { DATABASE_URL, FLOWDECK_DATA_DIR } = env();
    holder.__flowdeckDb = openDatabase({ url: DATABASE_URL, dataDir: FLOWDECK_DATA_DIR });
    holder.__flowdeckDb.catch(() => {
      holder.__flowdeckDb = undefined;
    });
  }
  return holder.__flowdeckDb;
}

/** Shorthand for the Prisma client of the process-wide database. */
export async function db(): Promise<PrismaClient> {
  return (await database()).prisma;
}

/** Connectivity and migration state, for /api/health. */
export async function databaseHealth(): Promise<{ kind: Database["kind"]; ok: boolean; migrations: MigrationState; error?: string }> {
  const kind = env().DATABASE_URL ? "postgres" : "pglite";
  try {
    const handle = await database();
    const files = await readMigrations();
    const migrations = await handle.withSession(async (s) => {
      await s.query("SELECT 1");
      return migrationState(s, files);
    });
    return { kind, ok: migrations.pending.length === 0, migrations };
  } catch (error) {
    return { kind, ok: false, migrations: { applied: [], pending: [] }, error: error instanceof Error ? error.message : String(error) };
  }
}
