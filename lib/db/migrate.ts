import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlSession } from "./sql-session";

/**
 * Applies prisma/migrations/<name>/migration.sql in name order. Prisma 6.19's own
 * `migrate deploy` fails through the pg adapter (STACK.md), so this is the one way the schema
 * reaches a database, embedded or not.
 *
 * All pending migrations run in one transaction under an advisory lock: two processes that
 * start at once apply them once, and a failing migration leaves the database as it was.
 */
export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationState {
  applied: string[];
  pending: string[];
}

/** Thrown when a migration cannot be applied; start-up stops with its message. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

const LOCK_KEY = 727_171_001; // any constant; shared by every Flowdeck process on a database
const TABLE = `"_flowdeck_migrations"`;

export const defaultMigrationsDir = () => path.resolve(process.cwd(), "prisma", "migrations");

export async function readMigrations(dir = defaultMigrationsDir()): Promise<MigrationFile[]> {
  const entries = await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

async function appliedRows(db: SqlSession) {
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('${TABLE}')::text AS t`);
  if (!exists[0]?.t) return [];
  return db.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${TABLE} ORDER BY name`);
}

/** Which migrations the database has and which it still needs; reads only. */
export async function migrationState(db: SqlSession, files: MigrationFile[]): Promise<MigrationState> {
  const applied = (await appliedRows(db)).map((r) => r.name);
  return { applied, pending: files.map((f) => f.name).filter((n) => !applied.includes(n)) };
}

/** Applies every pending migration; returns the names it applied. */
export async function migrate(db: SqlSession, files: MigrationFile[]): Promise<string[]> {
  await db.query("BEGIN");
  try {
    await db.query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY]);
    await db.script(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = new Map((await appliedRows(db)).map((r) => [r.name, r.checksum]));
    for (const file of files) {
      const seen = applied.get(file.name);
      if (seen && seen !== file.checksum) {
        throw new MigrationError(
          `Migration ${file.name} was changed after it was applied to this database. Restore its original migration.sql and put the change in a new migration.`,
        );
      }
    }
    const pending = files.filter((f) => !applied.has(f.name));
    for (const file of pending) {
      try {
        await db.script(file.sql);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(
          `Migration ${file.name} failed: ${reason}. Nothing was changed; fix the migration and start again.`,
        );
      }
      await db.query(`INSERT INTO ${TABLE} (name, checksum) VALUES ($1, $2)`, [file.name, file.checksum]);
    }
    await db.query("COMMIT");
    return pending.map((f) => f.name);
  } catch (error) {
    await db.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}
