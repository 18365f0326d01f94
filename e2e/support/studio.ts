import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isPortIsReserved } from "next/dist/lib/helpers/get-reserved-port";
import { scratchDatabase } from "../../test/support/scratch-database";

/**
 * A real Flowdeck server for one test or one worker: `next start` on its own port, with its
 * own empty database (a fresh PGlite folder, or a fresh database on the Postgres of
 * DATABASE_URL). `restart()` stops the process and starts it again on the same data.
 */
export interface Studio {
  url: string;
  databaseKind: "postgres" | "pglite";
  /** The environment the server runs with (its DATABASE_URL and secret), for worker processes. */
  env: NodeJS.ProcessEnv;
  output(): string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

let nextPort = 3200 + Number(process.env.TEST_WORKER_INDEX ?? 0) * 40 + Math.floor(Math.random() * 20);

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`Flowdeck exited with code ${child.exitCode} while starting:\n${output()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`Flowdeck did not become healthy within 60 s:\n${output()}`);
}

/**
 * A port nothing listens on (a leftover server of an earlier run may hold the next one), and
 * one Next.js will serve on: it refuses the ports browsers block (3659, 4045, 5060, …).
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = nextPort++;
    if (isPortIsReserved(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/**
 * Log lines no test may cause: a route that answered 500, or a promise nobody handled. Every
 * server and worker process started by a test is checked for them when it stops.
 */
const FAULT_LINES = /"msg":"(unhandled error in API route|unhandled promise rejection)"/;
export function assertNoFaultLines(name: string, output: string): void {
  const faults = output.split("\n").filter((line) => FAULT_LINES.test(line));
  if (faults.length)
    throw new Error(
      `The ${name} logged ${faults.length} fault(s) no test may cause:\n${faults.slice(0, 5).join("\n")}`,
    );
}

/** Starts a server and waits until /api/health says it is ready. */
export async function startStudio(extraEnv: Record<string, string> = {}): Promise<Studio> {
  const database = process.env.DATABASE_URL ? await scratchDatabase("e2e") : null;
  const dataDir = mkdtempSync(path.join(tmpdir(), "flowdeck-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = "";
  let child: ChildProcess;
  let halting = false;

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLOWDECK_DATA_DIR: dataDir,
    FLOWDECK_SECRET: randomBytes(32).toString("base64"),
    LOG_LEVEL: "warn",
    NEXTAUTH_URL: url,
    ...extraEnv,
  };
  if (database) env.DATABASE_URL = database.url!;
  else delete env.DATABASE_URL;

  async function start() {
    child = spawn(
      process.execPath,
      [
        // As scripts/start.mjs does: its young generation's size, and the app learns each request's socket address.
        "--max-semi-space-size=4",
        "--expose-gc",
        "--import",
        pathToFileURL(path.resolve("scripts/socket-address.mjs")).href,
        "node_modules/next/dist/bin/next",
        "start",
        "-p",
        String(port),
        "-H",
        "127.0.0.1",
        "--keepAliveTimeout",
        "65000",
      ],
      {
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    child.stdout?.on("data", (d) => (log += d));
    child.stderr?.on("data", (d) => (log += d));
    child.once("exit", (code, signal) => {
      if (halting) return;
      // A server that dies under a test: say so where the test's failure is read, with its last words.
      log += `\n[the studio exited on its own: code ${code}, signal ${signal}]\n`;
      console.error(`The studio at ${url} exited on its own (code ${code}, signal ${signal}):\n${log.slice(-4000)}`);
    });
    await waitForHealth(url, child, () => log);
  }

  async function halt() {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    halting = true;
    const pid = child.pid;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-pid, "SIGTERM");
    const timer = setTimeout(() => process.kill(-pid, "SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
    // Anything else of its process group (an MCP server it started) goes too.
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // the group is gone already
    }
    halting = false;
  }

  await start();
  return {
    url,
    databaseKind: database ? "postgres" : "pglite",
    env,
    output: () => log,
    restart: async () => {
      await halt();
      await start();
    },
    stop: async () => {
      await halt();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
      assertNoFaultLines("studio", log);
    },
  };
}

/** Runs `next start` expecting it to fail; resolves with its exit code and output. */
export async function startStudioExpectingFailure(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(await freePort()), "-H", "127.0.0.1"],
    {
      env: { ...process.env, ...env } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => (child.kill("SIGKILL"), resolve(null)), 30_000);
    child.once("exit", (c) => (clearTimeout(timer), resolve(c)));
  });
  return { code, output };
}
