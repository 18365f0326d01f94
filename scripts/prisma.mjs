#!/usr/bin/env node
// Runs the Prisma CLI without letting it download engines (STACK.md): Flowdeck uses the
// JS engine and driver adapters, so the binary paths only need to exist, never to work.
// The CLI works on a scratch PGlite directory (prisma.config.ts), never on a real database.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const env = {
  ...process.env,
  PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? "/bin/true",
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/true",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  // The schema names DATABASE_URL, but the CLI talks to the scratch PGlite of prisma.config.ts.
  DATABASE_URL: "postgresql://scratch@localhost/scratch",
};
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit", env });
process.exit(result.status ?? 1);
