import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Client } from "pg";
import { pgSession, pgliteSession, type SqlSession } from "../../lib/db/sql-session";

/**
 * A database of its own for one test: a fresh database on the Postgres of DATABASE_URL when
 * it is set, else a fresh PGlite in a temp folder. `session()` opens another session (a
 * second connection on Postgres; on PGlite, the one session again).
 */
export interface ScratchDatabase {
  kind: "postgres" | "pglite";
  url?: string;
  dataDir?: string;
  session(): Promise<{ sql: SqlSession; close(): Promise<void> }>;
  /** Lets another opener have the database: on PGlite, closes the one session (nothing on Postgres). */
  release(): Promise<void>;
  drop(): Promise<void>;
}

/**
 * `migrated`: on the embedded database, start as a copy of the run's migrated template
 * (test/support/migrated-template.ts) when there is one; otherwise, and on PostgreSQL, empty
 * (opening it through lib/db migrates it).
 */
export async function scratchDatabase(label = "t", { migrated = false } = {}): Promise<ScratchDatabase> {
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `flowdeck_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      kind: "postgres",
      url: url.toString(),
      async session() {
        const client = new Client({ connectionString: url.toString() });
        await client.connect();
        return { sql: pgSession(client), close: () => client.end() };
      },
      release: async () => undefined,
      async drop() {
        const c = new Client({ connectionString: base });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), `flowdeck-${label}-`));
  const template = process.env.FLOWDECK_PGLITE_TEMPLATE;
  if (migrated && template && existsSync(template)) cpSync(template, path.join(dataDir, "pglite"), { recursive: true });
  let pglite: PGlite | undefined;
  return {
    kind: "pglite",
    dataDir,
    async session() {
      pglite ??= new PGlite(path.join(dataDir, "pglite"));
      await pglite.waitReady;
      return { sql: pgliteSession(pglite), close: async () => undefined };
    },
    async release() {
      await pglite?.close();
      pglite = undefined;
    },
    async drop() {
      await pglite?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
