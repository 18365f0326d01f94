import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import boundaries from "eslint-plugin-boundaries";

/**
 * The layer rules (ARCHITECTURE.md, "Layers"), enforced: dependencies point down only.
 *
 * `LIB_ORDER` lists the server folders of lib/ from the bottom up: a folder may import itself
 * and the folders below it, never one above. So no two folders can depend on each other, and a
 * new folder must be placed in the order (lint fails on a lib/ folder that is not listed).
 * The client folders (TanStack Query hooks, React Flow glue) form their own short chain over
 * the pure ones. Above lib/: components may import lib/, app may import both, nothing in lib/
 * imports either.
 */
export const LIB_ORDER = [
  "schemas", // zod schemas and the types inferred from them; imports nothing of ours
  "engine", // the pure interpreter, behind ports
  "process", // process-scoped singletons
  "sandbox", // code in WebAssembly QuickJS on worker threads: no host, network or files
  "config", // the environment, parsed once; derived keys
  "errors", // AppError
  "log", // the structured logger
  "crypto", // sealing secrets
  "db", // Prisma on PostgreSQL or PGlite, migrations, the LISTEN connection
  "platform", // cross-process plumbing: channels, notified caches, buffered writers, queues, shutdown
  "tracing", // OpenTelemetry spans
  "audit", // audit rows, written with the change
  "egress", // the one door to HTTP destinations: host rules, private addresses refused, redirects re-checked
  "auth", // sessions, API keys, passwords, sign-in limits
  "api", // the route wrapper
  "workflows", // drafts, versions, templates
  "workspaces", // workspaces, members, invitations, setup
  "observability", // dashboards (reads)
  "gateway", // the only door to language models
  "mcp", // the only door to tools
  "runs", // run records: start, read, settle, cancel, live events, the queue of runs
  "triggers", // webhooks: what starts runs without a person in the editor
  "review", // the reviewer inbox, decisions, deadlines, notifications, the engine's review adapter
  "execution", // executing runs: lease, executeRun, the run worker
  "evaluations", // test cases, evaluations and their evaluators, the publish gate
  "host", // the process host: boot, background services, shutdown
];
const CLIENT_ORDER = ["queries", "canvas"];
const PURE = ["schemas", "engine"];

const libType = (folder) => `lib/${folder}`;
const layers = {
  plugins: { boundaries },
  settings: {
    "import/resolver": { typescript: { alwaysTryTypes: true } },
    "boundaries/include": [
      "app/**",
      "components/**",
      "lib/**",
      "e2e/**",
      "scripts/**",
      "bench/**",
      "test/**",
      "instrumentation.ts",
      "proxy.ts",
    ],
    "boundaries/elements": [
      { type: "generated", pattern: "lib/db/generated" },
      ...[...LIB_ORDER, ...CLIENT_ORDER].map((folder) => ({ type: libType(folder), pattern: `lib/${folder}` })),
      { type: "lib/unplaced", pattern: "lib/*" },
      { type: "components", pattern: "components" },
      { type: "app", pattern: "app" },
      { type: "root", pattern: "instrumentation.ts", mode: "file" },
      { type: "root", pattern: "proxy.ts", mode: "file" },
      { type: "tests", pattern: "(e2e|scripts|bench|test)" },
    ],
  },
  rules: {
    "boundaries/element-types": [
      2,
      {
        default: "disallow",
        message:
          "${file.type} must not import ${dependency.type} (ARCHITECTURE.md, Layers: a lib/ folder imports only the folders below it)",
        rules: [
          ...LIB_ORDER.map((folder, i) => ({
            from: libType(folder),
            allow: [
              ...LIB_ORDER.slice(0, i + 1).map(libType),
              ...(folder === "db" || i > LIB_ORDER.indexOf("db") ? ["generated"] : []),
            ],
          })),
          ...CLIENT_ORDER.map((folder, i) => ({
            from: libType(folder),
            allow: [...PURE, ...CLIENT_ORDER.slice(0, i + 1)].map(libType),
          })),
          { from: "lib/unplaced", allow: [] },
          { from: "generated", allow: ["generated"] },
          { from: "components", allow: ["components", ...[...LIB_ORDER, ...CLIENT_ORDER].map(libType)] },
          { from: "app", allow: ["app", "components", ...[...LIB_ORDER, ...CLIENT_ORDER].map(libType)] },
          { from: "root", allow: LIB_ORDER.map(libType) },
          { from: "tests", allow: ["tests", "generated", ...[...LIB_ORDER, ...CLIENT_ORDER].map(libType)] },
        ],
      },
    ],
  },
};

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  layers,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  globalIgnores([
    ".next/**",
    "node_modules/**",
    "lib/db/generated/**",
    ".data/**",
    "test-results/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
]);
