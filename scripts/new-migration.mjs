#!/usr/bin/env node
// `npm run db:migration -- NAME`: writes prisma/migrations/<stamp>_NAME/migration.sql, the SQL
// from the schema of the last migration to prisma/schema/*.prisma now. Each migration keeps a
// snapshot of the whole schema (schema.prisma beside its SQL) to diff against next time:
// Prisma 6.19 cannot replay migrations into a shadow database through a driver adapter, and
// diffing two datamodels needs no database at all.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import path from "node:path";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- name_in_snake_case");
  process.exit(2);
}
const migrations = "prisma/migrations";
const schemaDir = "prisma/schema";
const last = readdirSync(migrations, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()
  .at(-1);
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(migrations, `${stamp}_${name}`);
mkdirSync(dir);

const from = last ? ["--from-schema-datamodel", path.join(migrations, last, "schema.prisma")] : ["--from-empty"];
const diff = spawnSync(
  process.execPath,
  [
    "scripts/prisma.mjs",
    "migrate",
    "diff",
    ...from,
    "--to-schema-datamodel",
    schemaDir,
    "--script",
    "-o",
    path.join(dir, "migration.sql"),
  ],
  {
    stdio: ["ignore", "inherit", "inherit"],
    // A scratch PGlite of its own: the CLI loads prisma.config.ts's adapter even for a diff.
    env: { ...process.env, PRISMA_SCRATCH_DIR: mkdtempSync(path.join(tmpdir(), "flowdeck-prisma-")) },
    timeout: 120_000,
  },
);
const sql = diff.status === 0 ? readFileSync(path.join(dir, "migration.sql"), "utf8") : "";
if (diff.status !== 0 || !/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  rmSync(dir, { recursive: true, force: true });
  console.error(
    diff.status !== 0
      ? "prisma migrate diff failed (see above)."
      : "The schema has no changes since the last migration.",
  );
  process.exit(1);
}
const snapshot = readdirSync(schemaDir)
  .filter((f) => f.endsWith(".prisma"))
  .sort((a, b) => (a === "schema.prisma" ? -1 : b === "schema.prisma" ? 1 : a.localeCompare(b)));
writeFileSync(
  path.join(dir, "schema.prisma"),
  snapshot.map((f) => readFileSync(path.join(schemaDir, f), "utf8")).join("\n"),
);
console.log(`Wrote ${dir}/migration.sql:\n\n${sql}`);
