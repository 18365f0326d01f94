import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

/**
 * Browser tests drive Debian's Chromium (never a downloaded browser). Each worker starts its
 * own Flowdeck server (e2e/support/studio.ts), so there is no shared webServer here.
 * `--grep @smoke` picks the smoke subset (first-admin setup and sign-in, building in the
 * editor, a run streaming and approved, a review approved in the inbox, the in-process
 * worker, the newcomer's first ten minutes), the part CI runs on the embedded database.
 */
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  throw new Error(
    `No Chromium at ${chromium}: the browser tests cannot run. Install Debian's package ` +
      `(apt-get install -y chromium), point CHROMIUM_PATH at another Chromium, or, on a machine ` +
      `that can download it, run "npx playwright install chromium" and set CHROMIUM_PATH to it.`,
  );
}

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  // Whole files go to a worker, and each worker starts a Next.js server of its own besides its
  // Chromium (e2e/support/studio.ts): two workers are what a 2-core machine carries; a third
  // server would share the same two cores and stretch the 10 s expectations.
  fullyParallel: false,
  workers: 2,
  // One retry: a test that fails twice fails; one that passes on retry is reported as flaky.
  retries: 1,
  // A test.only left in would silently skip the rest of the suite in CI.
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: "list",
  use: {
    screenshot: "only-on-failure",
    // A trace only for a failed test's retry: recording one for every test (its screencast and
    // snapshots) cost about a fifth of the suite's time on a two-core machine; a failure that
    // repeats has its trace, and every failure its screenshot.
    trace: "on-first-retry",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
});
