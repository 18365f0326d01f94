import { spawn, type ChildProcess } from "node:child_process";
import { assertNoFaultLines, type Studio } from "./studio";

/** A real worker process (what `npm run worker` starts: one node process) against a studio's database. */
export interface WorkerProcess {
  pid: number;
  output(): string;
  /** Whether the process has ended (by itself, or killed). */
  exited(): boolean;
  /** Runs this worker settled, by the "run settled" lines of its log. */
  settledRuns(): string[];
  /** Its warnings that it renewed its leases late (why another worker may have taken a run over). */
  lateRenewals(): string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startWorkerProcess(
  studio: Studio,
  extraEnv: Record<string, string> = {},
): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"],
    {
      env: { ...studio.env, LOG_LEVEL: "info", ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const deadline = Date.now() + 60_000;
  while (!/worker .* ready/i.test(log)) {
    if (child.exitCode !== null) throw new Error(`The worker exited with code ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The worker did not start within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    output: () => log,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    settledRuns: () =>
      log
        .split("\n")
        .filter((line) => line.includes('"run settled"'))
        .map((line) => (JSON.parse(line) as { runId: string }).runId),
    lateRenewals: () => log.split("\n").filter((line) => line.includes("renewed its leases late")),
    async kill(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return assertNoFaultLines(`worker ${child.pid}`, log);
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      // Past the default grace period (10 s) and a little more.
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
      assertNoFaultLines(`worker ${child.pid}`, log);
    },
  };
}
