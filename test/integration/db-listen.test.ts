import { afterAll, beforeAll, expect, it } from "vitest";
import { scratchDatabase, type ScratchDatabase } from "../support/scratch-database";
import { openDatabase, RECONNECTED, type Database } from "../../lib/db/client";

let scratch: ScratchDatabase;
let db: Database;

beforeAll(async () => {
  scratch = await scratchDatabase("listen");
  db = await openDatabase({ url: scratch.url, dataDir: scratch.dataDir ?? "" });
});
afterAll(async () => {
  await db?.close();
  await scratch?.drop();
});

const next = (channel: string) => new Promise<string>((resolve) => void db.listen(channel, resolve));

it("NOTIFY reaches LISTEN; on PostgreSQL a dropped LISTEN connection comes back by itself and says so", async () => {
  const first = next("flowdeck_test");
  await new Promise((r) => setTimeout(r, 50));
  await db.notify("flowdeck_test", "hello");
  expect(await first).toBe("hello");
  if (db.kind !== "postgres") return; // the embedded database has no connection to lose

  const reconnected = new Promise<void>((resolve) => void db.listen(RECONNECTED, () => resolve()));
  const { sql, close } = await scratch.session();
  await sql.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'flowdeck-listen' AND datname = current_database()`,
  );
  await close();
  await reconnected;
  const second = next("flowdeck_test");
  await db.notify("flowdeck_test", "after the drop");
  expect(await second).toBe("after the drop");
});
