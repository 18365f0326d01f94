#!/usr/bin/env node
// `npm start`: builds the studio when there is no build or the sources changed since the last
// one, then serves it (default http://localhost:3000). With no DATABASE_URL it uses the
// embedded database under .data/; the schema is applied as the server starts.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildState, markBuilt } from "./build-current.mjs";

const next = path.join("node_modules", "next", "dist", "bin", "next");
const build = buildState();
if (build !== "current") {
  console.log(
    build === "stale"
      ? "Sources changed since the last build: building the studio…"
      : "Building the studio (first start takes a minute)…",
  );
  const result = spawnSync(process.execPath, [next, "build"], { stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
  markBuilt();
}

const port = process.env.PORT ?? "3000";
console.log(
  `Starting Flowdeck on http://localhost:${port} (${process.env.DATABASE_URL ? "PostgreSQL from DATABASE_URL" : `embedded database in ${process.env.FLOWDECK_DATA_DIR ?? ".data"}/`})`,
);
// scripts/socket-address.mjs is loaded first: it tells the app each request's socket address
// (Next.js does not), which the sign-in limiter counts per.
// Idle connections stay open longer than clients and proxies keep theirs (65 s), so a client
// never reuses a connection the server is closing at that moment (ECONNRESET).
// A young generation of 4 MB semi-spaces (16 MB by default): the studio's memory after a burst
// of a thousand runs is about 315 MB instead of 380-490, at the same throughput and latency
// (bench/versus-n8n.ts). e2e/support/studio.ts starts test studios the same way.
const server = spawn(
  process.execPath,
  [
    "--max-semi-space-size=4",
    // The memory reducer's collector (lib/host/memory-reducer.ts): used only when the process is quiet.
    "--expose-gc",
    "--import",
    pathToFileURL(path.resolve("scripts/socket-address.mjs")).href,
    next,
    "start",
    "-p",
    port,
    "--keepAliveTimeout",
    "65000",
    ...process.argv.slice(2),
  ],
  { stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
