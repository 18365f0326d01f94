#!/usr/bin/env node
// `npm run bench`: builds if needed, then runs every benchmark under bench/ and prints one
// JSON line per benchmark (figures and ratios against a baseline measured in the same run).
// `--conditions=react-server` lets scripts import server-only modules of lib/.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

if (!existsSync(".next/BUILD_ID")) {
  const b = spawnSync("node_modules/.bin/next", ["build"], { stdio: ["ignore", "ignore", "inherit"] });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const only = process.argv[2];
let failed = 0;
for (const file of readdirSync("bench")
  .filter((f) => f.endsWith(".ts") && (!only || f.startsWith(only)))
  .sort()) {
  const r = spawnSync("node_modules/.bin/tsx", ["--conditions=react-server", `bench/${file}`], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (r.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
