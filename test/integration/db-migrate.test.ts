import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { scratchDatabase, type ScratchDatabase } from "../support/scratch-database";
import { migrate, migrationState, MigrationError, readMigrations } from "../../lib/db/migrate";

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "flowdeck-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

async function tables(db: ScratchDatabase): Promise<string[]> {
  const s = await db.session();
  const rows = await s.sql.query<{ t: string }>(
    `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  await s.close();
  return rows.map((r) => r.t);
}

describe(`migrations on ${process.env.DATABASE_URL ? "Postgres" : "PGlite"}`, () => {
  let db: ScratchDatabase;
  afterEach(async () => db?.drop());

  it("applies the project's migrations once, then reports nothing pending", async () => {
    db = await scratchDatabase("migrate");
    const files = await readMigrations();
    const s = await db.session();
    expect(await migrate(s.sql, files)).toEqual(files.map((f) => f.name));
    expect(await migrate(s.sql, files)).toEqual([]);
    expect(await migrationState(s.sql, files)).toEqual({ applied: files.map((f) => f.name), pending: [] });
    await s.close();
    expect(await tables(db)).toEqual(
      expect.arrayContaining(["User", "Workspace", "Membership", "Workflow", "AuditLog"]),
    );
  });

  it("leaves the database as it was when a migration fails, naming the migration", async () => {
    db = await scratchDatabase("migrate");
    const dir = migrationsDir({
      "001_ok": `CREATE TABLE "Kept" (id int);`,
      "002_broken": `CREATE TABLE "AlsoKept" (id int); SELECT * FROM "NoSuchTable";`,
    });
    const s = await db.session();
    const error = await migrate(s.sql, await readMigrations(dir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/002_broken failed: .*NoSuchTable/);
    await s.close();
    expect(await tables(db)).not.toEqual(expect.arrayContaining(["Kept"]));
    expect(await tables(db)).not.toContain("AlsoKept");
  });

  it("refuses a migration that was edited after it was applied", async () => {
    db = await scratchDatabase("migrate");
    const s = await db.session();
    await migrate(s.sql, await readMigrations(migrationsDir({ "001_a": `CREATE TABLE "A" (id int);` })));
    const edited = await readMigrations(migrationsDir({ "001_a": `CREATE TABLE "A" (id bigint);` }));
    await expect(migrate(s.sql, edited)).rejects.toThrow(/001_a was changed after it was applied/);
    await s.close();
  });

  it.runIf(!!process.env.DATABASE_URL)(
    "applies each migration once when two processes start at the same moment",
    async () => {
      db = await scratchDatabase("migrate");
      const files = await readMigrations();
      const [a, b] = await Promise.all([db.session(), db.session()]);
      const results = await Promise.all([migrate(a.sql, files), migrate(b.sql, files)]);
      await Promise.all([a.close(), b.close()]);
      expect(results.flat().sort()).toEqual(files.map((f) => f.name).sort());
    },
  );

  it("makes the oldest user of an installation set up before owners existed its installation owner", async () => {
    db = await scratchDatabase("migrate");
    const files = await readMigrations();
    const at = files.findIndex((f) => f.name.endsWith("_installation_owner"));
    const s = await db.session();
    await migrate(s.sql, files.slice(0, at));
    await s.sql.query(
      `INSERT INTO "User" (id, email, name, "createdAt", "updatedAt") VALUES
        ('u2', 'second@example.com', 'Second', now(), now()),
        ('u1', 'first@example.com', 'First', now() - interval '1 day', now())`,
    );
    await migrate(s.sql, files);
    const owners = await s.sql.query<{ id: string; installationOwner: boolean }>(
      `SELECT id, "installationOwner" FROM "User" ORDER BY id`,
    );
    await s.close();
    expect(owners).toEqual([
      { id: "u1", installationOwner: true },
      { id: "u2", installationOwner: false },
    ]);
  });
});
