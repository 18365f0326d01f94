#!/usr/bin/env node
// `npm test`: every test there is, in order, stopping at the first failure:
// typecheck, lint (including the layer rules), unit and integration tests (Vitest, on the
// database of DATABASE_URL or an embedded one), a production build, and the browser tests
// (Playwright driving Chromium against real servers). The browser tests are never skipped.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(
    `\nnpm test needs Chromium for the browser tests, and there is none at ${chromium}.\n` +
      `  - Debian/Ubuntu: apt-get install -y chromium\n` +
      `  - another Chromium: set CHROMIUM_PATH=/path/to/chromium\n` +
      `  - a machine that may download browsers: npx playwright install chromium, then set CHROMIUM_PATH\n`,
  );
  process.exit(1);
}

const bin = (name) => `node_modules/.bin/${name}`;
const steps = [
  ["typecheck", bin("tsc"), ["--noEmit"]],
  ["lint", bin("eslint"), ["--max-warnings=0", "."]],
  ["unit and integration tests", bin("vitest"), ["run"]],
  ["production build", bin("next"), ["build"]],
  ["browser tests", bin("playwright"), ["test"]],
];

const database = process.env.DATABASE_URL ? `PostgreSQL (${process.env.DATABASE_URL.replace(/\/\/[^@]*@/, "//")})` : "embedded PGlite";
console.log(`Flowdeck tests on ${database}`);
let passed = 0;
for (const [label, cmd, args] of steps) {
  console.log(`\n━━ ${label} ━━`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${label} failed after ${seconds} s`);
    console.log(`${passed} passed, 1 failed`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${label} (${seconds} s)`);
  passed += 1;
}
console.log(`\nAll test steps passed on ${database}.`);
