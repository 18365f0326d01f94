import "server-only";
import path from "node:path";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import { Client } from "pg";
import { PrismaClient } from "./generated/client";
import { env } from "../config/env";
import { processSingleton } from "../process/singleton";
import { logger } from "../log/logger";
import { migrate, migrationState, readMigrations, type MigrationState } from "./migrate";
import { guardedPool } from "./pool";
import { pgSession, pgliteSession, type SqlSession } from "./sql-session";

/**
 * The database of this process: PostgreSQL through `pg` when DATABASE_URL is set, otherwise
 * the embedded PGlite under FLOWDECK_DATA_DIR. Opening it applies pending migrations first,
 * so nothing above lib/db ever sees an old schema.
 */
/**
 * Plain SQL beside Prisma, for the hot path of runs (steps, events, settling, leases): one
 * statement with positional parameters, on Prisma's own pool (PostgreSQL) or the one PGlite
 * session. Prisma costs about half a millisecond per statement; a durable step is one statement.
 */
export interface Sql {
  kind: "postgres" | "pglite";
  /** `name`: a statement run often (PostgreSQL parses and plans it once per connection). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]>;
}

export interface Database {
  kind: "postgres" | "pglite";
  prisma: PrismaClient;
  sql: Sql;
  /**
   * A connection of its own for renewing the leases of runs (the embedded database: its one
   * session). A renewal never waits behind the runs' own statements for a connection of the
   * pool, nor for the disk: it commits without waiting for its WAL to be flushed
   * (`synchronous_commit=off`), since a renewal lost in a crash of the database only makes a
   * lease end a second or two earlier.
   */
  leaseSql: Sql;
  /** A short-lived raw session (its own connection on Postgres; the one session on PGlite). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** PostgreSQL's URL (null on the embedded database), for pools of their own such as the rate limits'. */
  connectionString: string | null;
  /** How pg-boss reaches this database: a guarded pool on Postgres, SQL through the one PGlite session. */
  queueConnection: { db: { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } };
  /** NOTIFY: reaches every process listening on this database (payload under 8000 bytes). */
  notify(channel: string, payload: string): Promise<void>;
  /** LISTEN on one shared connection of this process; returns the way to stop. */
  listen(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * One LISTEN connection per process, shared by every channel. If it drops, it reconnects and
 * listens again; subscribers are told (`onReconnect`) so they can read what they missed.
 */
function pgListener(url: string) {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let client: Client | null = null;
  let connecting: Promise<Client> | null = null;
  let closed = false;
  const connect = (): Promise<Client> =>
    (connecting ??= (async () => {
      const c = new Client({ connectionString: url, application_name: "flowdeck-listen" });
      c.on("notification", (n) => handlers.get(n.channel)?.forEach((h) => h(n.payload ?? "")));
      c.on("error", (error) => {
        logger().warn({ err: error }, "LISTEN connection lost; reconnecting");
        client = null;
        connecting = null;
        c.end().catch(() => undefined);
        if (!closed) setTimeout(reconnect, 500);
      });
      try {
        await c.connect();
        for (const channel of handlers.keys()) if (channel !== RECONNECTED) await c.query(`LISTEN "${channel}"`);
      } catch (error) {
        // Not reachable now: the next listen (or the reconnect timer) tries again.
        connecting = null;
        await c.end().catch(() => undefined);
        throw error;
      }
      client = c;
      return c;
    })());
  // Keeps trying (every second) until the connection is back, then tells the subscribers.
  const reconnect = () => {
    if (closed) return;
    connect()
      .then(() => handlers.get(RECONNECTED)?.forEach((h) => h("")))
      .catch(() => setTimeout(reconnect, 1_000));
  };
  return {
    async listen(channel: string, handler: (payload: string) => void) {
      const first = !handlers.has(channel);
      if (first) handlers.set(channel, new Set());
      handlers.get(channel)!.add(handler);
      const c = client ?? (await connect());
      if (first && channel !== RECONNECTED) await c.query(`LISTEN "${channel}"`);
      return async () => {
        handlers.get(channel)?.delete(handler);
      };
    },
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}

/** Subscribe to this channel to hear that the LISTEN connection came back after a drop. */
export const RECONNECTED = "flowdeck_listen_reconnected";

async function openPostgres(url: string): Promise<Database> {
  // Pools of our own, guarded: a connection the server drops must not end the process.
  // Timestamps are stored as UTC in columns without a time zone, and `now()` is written into
  // them: sessions are in UTC whatever the server's default. JIT compiling takes tens of
  // milliseconds on these short queries (a dashboard's) and wins nothing.
  const pool = guardedPool({
    connectionString: url,
    application_name: "flowdeck",
    options: "-c jit=off -c TimeZone=UTC",
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  const queuePool = guardedPool({ connectionString: url, max: 4, application_name: "flowdeck-queue" });
  // A renewal that cannot get through in a few seconds fails (and is tried again on the next
  // tick) instead of waiting on a hung connection or a locked row: the worker then knows it may
  // have lost its runs.
  const leasePool = guardedPool({
    connectionString: url,
    max: 1,
    application_name: "flowdeck-lease",
    options: "-c jit=off -c TimeZone=UTC -c synchronous_commit=off -c lock_timeout=2s -c statement_timeout=5s",
    connectionTimeoutMillis: 3_000,
    query_timeout: 5_000,
    keepAlive: true,
  });
  const listener = pgListener(url);
  return {
    kind: "postgres",
    prisma,
    sql: {
      kind: "postgres",
      query: async (text, params, name) => (await pool.query({ text, values: params, name })).rows,
    },
    leaseSql: {
      kind: "postgres",
      query: async (text, params, name) => (await leasePool.query({ text, values: params, name })).rows,
    },
    connectionString: url,
    queueConnection: { db: { executeSql: (text, values) => queuePool.query(text, values) } },
    async notify(channel, payload) {
      await pool.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    listen: (channel, handler) => listener.listen(channel, handler),
    async withSession(fn) {
      const client = new Client({ connectionString: url });
      client.on("error", (error) => logger().warn({ err: error }, "a database session dropped"));
      await client.connect();
      try {
        return await fn(pgSession(client));
      } finally {
        await client.end();
      }
    },
    async close() {
      await listener.close();
      await prisma.$disconnect();
      await queuePool.end().catch(() => undefined);
      await leasePool.end().catch(() => undefined);
    },
  };
}

async function openPGlite(dataDir: string): Promise<Database> {
  const dir = path.resolve(dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir);
  await pglite.waitReady;
  await pglite.exec("SET TIME ZONE 'UTC'"); // as on PostgreSQL (openPostgres)
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const sql: Sql = {
    kind: "pglite",
    query: async (text, params) => (await pglite.query(text, params)).rows as never[],
  };
  return {
    kind: "pglite",
    prisma,
    sql,
    leaseSql: sql,
    connectionString: null,
    withSession: (fn) => fn(pgliteSession(pglite)),
    // pg-boss sends scripts of several statements without parameters: those go through exec.
    queueConnection: {
      db: {
        async executeSql(text, values) {
          if (values?.length) return { rows: (await pglite.query(text, values)).rows };
          const results = await pglite.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        },
      },
    },
    async notify(channel, payload) {
      await pglite.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    async listen(channel, handler) {
      return pglite.listen(channel, handler);
    },
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

/** The process-wide database, opened (and migrated) on first use; tried again on the next use if that failed. */
export function database(): Promise<Database> {
  return processSingleton("database", () => {
    const { DATABASE_URL, FLOWDECK_DATA_DIR } = env();
    return openDatabase({ url: DATABASE_URL, dataDir: FLOWDECK_DATA_DIR });
  });
}

/** Shorthand for the Prisma client of the process-wide database. */
export async function db(): Promise<PrismaClient> {
  return (await database()).prisma;
}

/**
 * Whether the database answers, for the public /api/health: one `SELECT 1` on the process's
 * own pool (no new connection per call). Migrations are applied before the database is handed
 * out, so a reachable database is an up-to-date one in this process.
 */
export async function databaseReachable(): Promise<boolean> {
  try {
    await (
      await database()
    ).prisma.$queryRaw`SELECT 1`;
    return true;
  } catch {
    return false;
  }
}

/** Connectivity and migration state, for admins' /api/health: names migrations, so never public. */
export async function databaseHealth(): Promise<{
  kind: Database["kind"];
  ok: boolean;
  migrations: MigrationState;
  error?: string;
}> {
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
    return {
      kind,
      ok: false,
      migrations: { applied: [], pending: [] },
      error: error instanceof Error ? error.message : String(error),
    };
  }
}
