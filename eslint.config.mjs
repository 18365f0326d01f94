import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import boundaries from "eslint-plugin-boundaries";

/**
 * The layer rules of DESIGN.md ("Layers"), enforced: dependencies point down only.
 * - lib/schemas imports nothing of ours but itself;
 * - lib/engine imports only lib/schemas and itself (it is pure, behind ports);
 * - lib/** never imports app/** or components/**;
 * - components/** never imports app/**.
 */
const layers = {
  plugins: { boundaries },
  settings: {
    "import/resolver": { typescript: { alwaysTryTypes: true } },
    "boundaries/include": ["app/**", "components/**", "lib/**", "e2e/**", "scripts/**", "bench/**", "instrumentation.ts"],
    "boundaries/elements": [
      { type: "schemas", pattern: "lib/schemas" },
      { type: "engine", pattern: "lib/engine" },
      { type: "generated", pattern: "lib/db/generated" },
      { type: "lib", pattern: "lib/*", capture: ["part"] },
      { type: "components", pattern: "components" },
      { type: "app", pattern: "app" },
      { type: "root", pattern: "instrumentation.ts", mode: "file" },
      { type: "tests", pattern: "(e2e|scripts|bench)" },
    ],
  },
  rules: {
    "boundaries/element-types": [
      2,
      {
        default: "disallow",
        message: "${file.type} must not import ${dependency.type} (DESIGN.md, Layers: dependencies point down only)",
        rules: [
          { from: "schemas", allow: ["schemas"] },
          { from: "engine", allow: ["engine", "schemas"] },
          { from: "generated", allow: ["generated"] },
          { from: "lib", allow: ["lib", "engine", "schemas", "generated"] },
          { from: "components", allow: ["components", "lib", "schemas", "engine"] },
          { from: "app", allow: ["app", "components", "lib", "schemas", "engine"] },
          { from: "root", allow: ["lib"] },
          { from: "tests", allow: ["tests", "lib", "schemas", "engine", "generated"] },
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
  globalIgnores([".next/**", "node_modules/**", "lib/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"]),
]);
