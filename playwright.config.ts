import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

/**
 * Browser tests drive Debian's Chromium (never a downloaded browser). Each worker starts its
 * own Flowdeck server (e2e/support/studio.ts), so there is no shared webServer here.
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
  fullyParallel: false,
  workers: 2,
  // One retry: a test that fails twice fails; one that passes on retry is reported as flaky.
  retries: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
});
