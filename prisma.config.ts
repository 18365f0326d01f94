// Prisma CLI configuration. The CLI works on a scratch PGlite directory, so creating a
// migration needs no database server and downloads no engine (STACK.md).
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const dir = process.env.PRISMA_SCRATCH_DIR ?? path.join(".data", "prisma-scratch");
    return new PrismaPGlite(new PGlite(dir));
  },
});
