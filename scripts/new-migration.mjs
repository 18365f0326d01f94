#!/usr/bin/env node
// `npm run db:migration -- NAME`: writes prisma/migrations/<stamp>_NAME/migration.sql from the
// difference between the schema and the existing migrations, on a fresh scratch database.
import { mkdirSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("Usage: npm run db:migration -- name_in_snake_case");
  process.exit(2);
}
const scratch = ".data/prisma-scratch";
rmSync(scratch, { recursive: true, force: true });
mkdirSync(".data", { recursive: true });
const r = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "dev", "--create-only", "--skip-generate", "--name", name], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCRATCH_DIR: scratch },
});
rmSync(scratch, { recursive: true, force: true });
process.exit(r.status ?? 1);
