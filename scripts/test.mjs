#!/usr/bin/env node
// `npm test`: every test there is, stopping after the first failure: typecheck then unit tests,
// beside lint (including the layer rules) then the formatter's check; then integration tests
// (on the database of DATABASE_URL, or embedded ones), a production build, and the browser tests
// (Playwright driving Chromium against real servers). The browser tests are never skipped.
//
// `npm run test:embedded` (`--embedded-differences`) runs only what can differ between
// PostgreSQL and the embedded database, for CI's second pass after a full one on PostgreSQL:
// the integration tests (migrations, the store conformance suite, the plumbing, the in-process
// worker) and the browser smoke path (tests tagged @smoke), on the embedded database.
import { spawn, spawnSync } from "node:child_process";
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
const step = (label, name, args) => ({ label, cmd: bin(name), args });
// Two files at once, each on scratch databases of its own (vitest would take one on two cores).
const integrationTests = step("integration tests", "vitest", ["run", "--project", "integration", "--maxWorkers=2"]);
/**
 * Steps in lanes run side by side, each lane's steps one after another: the checks that use one
 * core each (tsc, eslint, prettier, unit tests in one worker) take the machine's two cores
 * together rather than in turn. A lane's output is printed whole when each of its steps ends.
 */
const everyStep = [
  step("route types", "next", ["typegen"]),
  [
    [step("typecheck", "tsc", ["--noEmit"]), step("unit tests", "vitest", ["run", "--project", "unit"])],
    [
      step("lint", "eslint", ["--max-warnings=0", "."]),
      step("format", "prettier", ["--check", "--log-level=warn", "."]),
    ],
  ],
  integrationTests,
  step("production build", "next", ["build"]),
  step("browser tests", "playwright", ["test"]),
];
const differingSteps = [
  integrationTests,
  ...(buildState() === "current" ? [] : [step("production build", "next", ["build"])]),
  step("browser smoke tests", "playwright", ["test", "--grep", "@smoke"]),
];
const steps = differencesOnly ? differingSteps : everyStep;

const database = env.DATABASE_URL ? `PostgreSQL (${env.DATABASE_URL.replace(/\/\/[^@]*@/, "//")})` : "embedded PGlite";
console.log(`Flowdeck tests on ${database}${differencesOnly ? " (what differs from PostgreSQL)" : ""}`);
const timings = [];
let passed = 0;

function passedStep(label, seconds) {
  timings.push(`${label} ${seconds} s`);
  if (label === "production build") markBuilt();
  console.log(`✓ ${label} (${seconds} s)`);
  passed += 1;
}

/** A step on its own, its output as it comes; its failure, if it failed. */
function runAlone({ label, cmd, args }) {
  console.log(`\n━━ ${label} ━━`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: "inherit", env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) return [{ label, seconds, status: result.status }];
  passedStep(label, seconds);
  return [];
}

/** A step in a lane: its output kept and printed (written out) once it ends, with its exit status and time. */
function runKept({ label, cmd, args }) {
  const started = Date.now();
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env });
  const output = [];
  child.stdout.on("data", (d) => output.push(d));
  child.stderr.on("data", (d) => output.push(d));
  return new Promise((resolve) => {
    let ended = false;
    const end = (status) => {
      if (ended) return;
      ended = true;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const text = Buffer.concat([Buffer.from(`\n━━ ${label} ━━\n`), ...output]);
      process.stdout.write(text, () => resolve({ label, status, seconds }));
    };
    // A command that could not start (not installed) fails its step.
    child.once("error", (error) => (output.push(Buffer.from(`${error}\n`)), end(1)));
    child.once("close", end);
  });
}

/** Lanes side by side; a lane stops at its failed step, the others finish the step they are in. */
async function runLanes(lanes) {
  const failures = [];
  await Promise.all(
    lanes.map(async (lane) => {
      for (const s of lane) {
        if (failures.length) return;
        const result = await runKept(s);
        if (result.status !== 0) return void failures.push(result);
        passedStep(result.label, result.seconds);
      }
    }),
  );
  return failures;
}

for (const s of steps) {
  const failures = Array.isArray(s) ? await runLanes(s) : runAlone(s);
  if (!failures.length) continue;
  for (const f of failures) console.error(`\n✗ ${f.label} failed after ${f.seconds} s`);
  console.log(`${passed} passed, ${failures.length} failed`);
  process.exitCode = failures[0].status || 1;
  break;
}
if (!process.exitCode) console.log(`\nAll test steps passed on ${database}: ${timings.join(", ")}.`);
