// `npm run worker`: a worker process alone. It executes runs from the queue in the database at
// DATABASE_URL, beside the studio and any number of other workers (on this machine or others).
//   npm run worker                       FLOWDECK_WORKER_CONCURRENCY runs at once (default 20)
//   npm run worker -- --concurrency 50
// SIGTERM or Ctrl-C: no new runs; the runs held may finish within FLOWDECK_SHUTDOWN_GRACE_SECONDS
// (default 10), the rest are handed to another worker; then it exits.
import { env, EnvError } from "../lib/config/env";
import { derivedKey } from "../lib/config/secrets";
import { database } from "../lib/db/client";
import { MigrationError } from "../lib/db/migrate";
import { workerId } from "../lib/execution/lease";
import { startHost, stopHost } from "../lib/host/host";
import { logger } from "../lib/log/logger";
import { onShutdown } from "../lib/platform/shutdown";

async function main() {
  const config = env();
  if (!config.DATABASE_URL) {
    console.error(
      "\nA worker process needs a shared PostgreSQL: set DATABASE_URL. (The embedded database belongs to the studio process, which runs its own worker.)\n",
    );
    process.exit(2);
  }
  derivedKey("auth"); // the same secret as the studio, or stored credentials cannot be read
  const flag = process.argv.indexOf("--concurrency");
  const concurrency = flag > 0 ? Number(process.argv[flag + 1]) : config.FLOWDECK_WORKER_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    console.error(`\n--concurrency must be a whole number of at least 1 (got “${process.argv[flag + 1]}”).\n`);
    process.exit(2);
  }
  const db = await database();
  onShutdown("database", "database", () => db.close());
  await startHost({ concurrency });
  logger().info({ worker: workerId(), concurrency }, "flowdeck worker ready");
  console.log(`Flowdeck worker ${workerId()} ready: up to ${concurrency} runs at once.`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    logger().info("stopping: no new runs; finishing or handing back the ones held");
    // Finishes or lets go of running runs, flushes the ledger, audit and traces, closes MCP servers, the queue and the database.
    await stopHost();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

main().catch((error) => {
  console.error(error instanceof EnvError || error instanceof MigrationError ? `\n${error.message}\n` : error);
  process.exit(1);
});
