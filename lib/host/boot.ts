import "server-only";
import { env, EnvError } from "../config/env";
import { derivedKey } from "../config/secrets";
import { database } from "../db/client";
import { MigrationError } from "../db/migrate";
import { logger } from "../log/logger";
import { logUnhandledRejections, startHost, stopHost } from "./host";

/** Start-up checks; on failure prints the reason and exits, so nobody meets a half-working studio. */
export async function boot(): Promise<void> {
  try {
    const config = env();
    logUnhandledRejections();
    derivedKey("auth");
    const db = await database();
    // The embedded database has one process: leases left by the last one are void.
    if (db.kind === "pglite")
      await db.prisma
        .$executeRaw`UPDATE "Run" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL WHERE "leaseOwner" IS NOT NULL`;
    const inProcess = config.FLOWDECK_IN_PROCESS_WORKER === "true" || db.kind === "pglite";
    if (inProcess) {
      await startHost();
      // Hand running runs back and flush what is buffered before Next.js exits.
      process.once("SIGTERM", () => void stopHost());
    }
    logger().info(
      {
        database: db.kind,
        dataDir: db.kind === "pglite" ? config.FLOWDECK_DATA_DIR : undefined,
        worker: inProcess ? "in-process" : "none (separate workers)",
      },
      "flowdeck ready",
    );
  } catch (error) {
    if (error instanceof EnvError || error instanceof MigrationError) {
      console.error(`\n${error.message}\n`);
    } else {
      console.error("\nFlowdeck could not start:", error, "\n");
    }
    process.exit(1);
  }
}
