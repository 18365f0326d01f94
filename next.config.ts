import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native code, WASM and workers: load them from node_modules at run time, never bundle them.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pino", "pg", "rate-limiter-flexible"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
