import type { NextConfig } from "next";
import { frameDenial, staticSecurityHeaders } from "./lib/api/security-headers";

const nextConfig: NextConfig = {
  // Native code, WASM and workers: load them from node_modules at run time, never bundle them.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "pino",
    "pg",
    "rate-limiter-flexible",
    "piscina",
    "quickjs-emscripten-core",
    "@jitl/quickjs-wasmfile-release-sync",
  ],
  poweredByHeader: false,
  typedRoutes: false,
  // The per-request headers (CSP with its nonce, HSTS) are set in proxy.ts.
  async headers() {
    return [{ source: "/:path*", headers: staticSecurityHeaders }, frameDenial];
  },
};

export default nextConfig;
