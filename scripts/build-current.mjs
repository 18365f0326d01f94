// Whether the production build in .next is newer than every source it is built from, for
// `npm start` and the test runner: each builds only when there is no build or it is stale.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const buildId = path.join(".next", "BUILD_ID");
const sources = [
  "app",
  "components",
  "lib",
  "prisma",
  "public",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
  "postcss.config.mjs",
];

function newest(p) {
  if (!existsSync(p)) return 0;
  const stat = statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  if (p.endsWith("generated")) return 0;
  return Math.max(0, ...readdirSync(p).map((name) => newest(path.join(p, name))));
}

/** "none", "stale" or "current". */
export function buildState() {
  const built = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  if (built === 0) return "none";
  return Math.max(...sources.map(newest)) > built ? "stale" : "current";
}
