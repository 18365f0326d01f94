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
  // Types are checked by `npm test`'s first step (tsc over the whole project, tests included):
  // the build does not check them again (half a minute on a two-core machine, at every start
  // after a change and twice in CI).
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // The per-request headers (CSP with its nonce, HSTS) are set in proxy.ts.
  async headers() {
    return [{ source: "/:path*", headers: staticSecurityHeaders }, frameDenial];
  },
};

export default nextConfig;
