import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Two projects:
 * - `unit`: pure code beside it in lib/ (`lib/**\/*.test.ts`) and the lint-rule test; no
 *   database, no processes; seconds (`npm run test:unit`);
 * - `integration`: test/integration, against a real database (DATABASE_URL, or a scratch
 *   embedded one), real MCP servers and a real model server on loopback
 *   (`npm run test:integration`).
 */
const shared = {
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      // "server-only" throws outside React Server Components; tests run plain Node.
      "server-only": path.resolve(__dirname, "test/support/server-only.ts"),
    },
  },
};

export default defineConfig({
  ...shared,
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "test/layers.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          pool: "forks",
        },
      },
      {
        ...shared,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          // On the embedded database, one migrated template that pointAtScratchDatabase's databases copy.
          globalSetup: ["test/support/migrated-template.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
    ],
  },
});
