#!/usr/bin/env node
// `npm test`: every test there is, in order, stopping at the first failure: typecheck, lint
// (including the layer rules), the formatter's check, unit tests, integration tests (on the
// database of DATABASE_URL, or embedded ones), a production build, and the browser tests
// (Playwright driving Chromium against real servers). The browser tests are never skipped.
//
// `npm run test:embedded` (`--embedded-differences`) runs only what can differ between
// PostgreSQL and the embedded database, for CI's second pass after a full one on PostgreSQL:
// the integration tests (migrations, the store conformance suite, the plumbing, the in-process
// worker) and the browser smoke path (tests tagged @smoke), on the embedded database.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { buildState, markBuilt } from "./build-current.mjs";

const differencesOnly = process.argv.includes("--embedded-differences");
const env = { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" };
if (differencesOnly) delete env.DATABASE_URL;

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
// Route types first (Next.js writes them; tsc then checks every page's and route's exports and
// params): the build itself does not check types (next.config.ts).
const everyStep = [
  ["route types", bin("next"), ["typegen"]],
  ["typecheck", bin("tsc"), ["--noEmit"]],
  ["lint", bin("eslint"), ["--max-warnings=0", "."]],
  ["format", bin("prettier"), ["--check", "--log-level=warn", "."]],
  ["unit tests", bin("vitest"), ["run", "--project", "unit"]],
  ["integration tests", bin("vitest"), ["run", "--project", "integration"]],
  ["production build", bin("next"), ["build"]],
  ["browser tests", bin("playwright"), ["test"]],
];
// The build does not depend on the database: after a full pass, the one it made is used again.
// The embedded database is in each test file's own process, so two files run at once (vitest's
// default is one on a two-core machine): 424 s → 324 s here.
const differingSteps = [
  ["integration tests", bin("vitest"), ["run", "--project", "integration", "--maxWorkers=2"]],
  ...(buildState() === "current" ? [] : [["production build", bin("next"), ["build"]]]),
  ["browser smoke tests", bin("playwright"), ["test", "--grep", "@smoke"]],
];
const steps = differencesOnly ? differingSteps : everyStep;

const database = env.DATABASE_URL ? `PostgreSQL (${env.DATABASE_URL.replace(/\/\/[^@]*@/, "//")})` : "embedded PGlite";
console.log(`Flowdeck tests on ${database}${differencesOnly ? " (what differs from PostgreSQL)" : ""}`);
const timings = [];
let passed = 0;
for (const [label, cmd, args] of steps) {
  console.log(`\n━━ ${label} ━━`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: "inherit", env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  timings.push(`${label} ${seconds} s`);
  if (result.status !== 0) {
    console.error(`\n✗ ${label} failed after ${seconds} s`);
    console.log(`${passed} passed, 1 failed`);
    process.exit(result.status ?? 1);
  }
  if (label === "production build") markBuilt();
  console.log(`✓ ${label} (${seconds} s)`);
  passed += 1;
}
console.log(`\nAll test steps passed on ${database}: ${timings.join(", ")}.`);
