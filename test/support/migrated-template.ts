import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The integration tests' global set-up: on the embedded database, one data folder migrated once
 * for the whole run, which the scratch databases of `pointAtScratchDatabase` start as a copy of
 * (opening a new PGlite and migrating it takes about six seconds of a two-core machine; copying,
 * a few tens of milliseconds). The folder's path goes to the test processes in
 * FLOWDECK_PGLITE_TEMPLATE. `scratchDatabase()` itself starts empty (the migration and store
 * tests), as does `pointAtScratchDatabase(…, { empty: true })`.
 */
export async function setup(): Promise<() => void> {
  if (process.env.DATABASE_URL) return () => undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), "flowdeck-template-"));
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  const level = process.env.LOG_LEVEL;
  process.env.LOG_LEVEL = "silent";
  try {
    const { openDatabase } = await import("../../lib/db/client");
    const db = await openDatabase({ dataDir });
    await db.close();
  } catch (error) {
    remove();
    throw error;
  } finally {
    if (level === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = level;
  }
  process.env.FLOWDECK_PGLITE_TEMPLATE = path.join(dataDir, "pglite");
  return remove;
}
