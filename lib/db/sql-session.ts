import type { PGlite } from "@electric-sql/pglite";
import type { Client } from "pg";

/**
 * The least a migration needs from a database session, for both drivers: one statement with
 * parameters, or a script of several statements without.
 */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  script(text: string): Promise<void>;
}

export function pgliteSession(db: PGlite): SqlSession {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await db.query<T>(text, params)).rows;
    },
    async script(text: string) {
      await db.exec(text);
    },
  };
}

export function pgSession(client: Client): SqlSession {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as T[];
    },
    async script(text: string) {
      await client.query(text);
    },
  };
}
