import { spawnSync } from "node:child_process";
import { expect, test } from "@playwright/test";

/**
 * `npm run worker` says what to fix instead of starting wrongly: worker processes share a
 * PostgreSQL (the embedded database belongs to the studio's own worker), and a concurrency
 * must be a whole number. Runs in both CI passes; the workers' own behaviour is tested in
 * workers.spec.ts against PostgreSQL.
 */
const worker = (args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts", ...args], {
    env,
    encoding: "utf8",
    timeout: 60_000,
  });

test("a worker without DATABASE_URL, or with a bad --concurrency, stops with a message saying what to fix", () => {
  const { DATABASE_URL: _omit, ...rest } = process.env;
  const noDatabase = worker([], { ...rest, FLOWDECK_DATA_DIR: "/tmp/flowdeck-worker-cli" });
  expect(noDatabase.status).toBe(2);
  expect(noDatabase.stderr).toContain("A worker process needs a shared PostgreSQL: set DATABASE_URL.");

  const badConcurrency = worker(["--concurrency", "lots"], {
    ...rest,
    DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/unused",
    FLOWDECK_SECRET: "w".repeat(40),
  });
  expect(badConcurrency.status).toBe(2);
  expect(badConcurrency.stderr).toContain("--concurrency must be a whole number of at least 1 (got “lots”).");
});
