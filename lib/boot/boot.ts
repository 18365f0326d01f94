import "server-only";
import { env, EnvError } from "../config/env";
import { derivedKey } from "../config/secrets";
import { database } from "../db/client";
import { MigrationError } from "../db/migrate";
import { logger } from "../log/logger";
import { resumeInterruptedRuns } from "../runs/execute-run";

/** Start-up checks; on failure prints the reason and exits, so nobody meets a half-working studio. */
export async function boot(): Promise<void> {
  try {
    const config = env();
    derivedKey("auth");
    const db = await database();
    const resumed = await resumeInterruptedRuns();
    logger().info({ database: db.kind, dataDir: db.kind === "pglite" ? config.FLOWDECK_DATA_DIR : undefined, resumedRuns: resumed }, "flowdeck ready");
  } catch (error) {
    if (error instanceof EnvError || error instanceof MigrationError) {
      console.error(`\n${error.message}\n`);
    } else {
      console.error("\nFlowdeck could not start:", error, "\n");
    }
    process.exit(1);
  }
}
