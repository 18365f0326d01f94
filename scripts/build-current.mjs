// Whether the production build in .next was made, to its end, after the last change to any
// source it is built from, for `npm start` and the test runner: each builds only when there is
// no such build. A stamp is written once `next build` succeeded (Next.js writes its BUILD_ID
// before it has finished); a folder's own time counts too, so a deleted or renamed file is a
// change.
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const stamp = path.join(".next", "flowdeck-build-finished");
const sources = [
  "app",
  "components",
  "lib",
  "prisma",
  "public",
  "instrumentation.ts",
  "proxy.ts",
  "next.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
  "postcss.config.mjs",
];

function newest(p) {
  if (!existsSync(p)) return 0;
  const stat = statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  if (p.endsWith("generated")) return 0;
  return Math.max(stat.mtimeMs, ...readdirSync(p).map((name) => newest(path.join(p, name))));
}

/** "none", "stale" or "current". */
export function buildState() {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (built === 0) return "none";
  return Math.max(...sources.map(newest)) > built ? "stale" : "current";
}

/** Called once `next build` exited with success. */
export function markBuilt() {
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
