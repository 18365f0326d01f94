import { readdirSync } from "node:fs";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { LIB_ORDER } from "../eslint.config.mjs";

/**
 * The layer rules of ARCHITECTURE.md are enforced by ESLint (eslint-plugin-boundaries). These
 * cases prove the rules bite, so a config change cannot switch them off unnoticed.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "boundaries/element-types").map((m) => m.message);
}

const importing = (from: string) => `import { x } from "${from}";\nexport const y = x;\n`;

describe("layer rules", () => {
  it("keeps lib/engine pure: no database, gateway or other lib modules", async () => {
    expect(await layerErrors("lib/engine/run.ts", importing("../db/client"))).toEqual([
      expect.stringMatching(/lib\/engine must not import lib\/db/),
    ]);
  });

  it("lets lib/engine import lib/schemas", async () => {
    expect(await layerErrors("lib/engine/run.ts", importing("../schemas/workflow"))).toEqual([]);
  });

  it("keeps lib/schemas free of I/O layers", async () => {
    expect(await layerErrors("lib/schemas/thing.ts", importing("../db/client"))).toHaveLength(1);
  });

  it("lets a lib folder import the folders below it", async () => {
    expect(await layerErrors("lib/review/thing.ts", importing("../runs/queue"))).toEqual([]);
    expect(await layerErrors("lib/execution/thing.ts", importing("../review/review-queue"))).toEqual([]);
  });

  it("refuses an import upwards, so no two lib folders can depend on each other", async () => {
    // lib/review imports lib/runs (resuming a run after a decision); the other way would be a cycle.
    expect(await layerErrors("lib/runs/thing.ts", importing("../review/live"))).toEqual([
      expect.stringMatching(/lib\/runs must not import lib\/review/),
    ]);
    expect(await layerErrors("lib/platform/thing.ts", importing("../gateway/config"))).toHaveLength(1);
    expect(await layerErrors("lib/db/thing.ts", importing("../platform/channels"))).toHaveLength(1);
  });

  it("places every lib folder in the order (a new folder must say where it sits)", async () => {
    const folders = readdirSync("lib", { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect(folders.filter((f) => !LIB_ORDER.includes(f) && !["queries", "canvas"].includes(f))).toEqual([]);
    expect(await layerErrors("lib/newfolder/thing.ts", importing("../schemas/workflow"))).toHaveLength(1);
  });

  it("keeps the client folders away from the server", async () => {
    expect(await layerErrors("lib/queries/thing.ts", importing("../db/client"))).toHaveLength(1);
    expect(await layerErrors("lib/canvas/thing.ts", importing("../queries/runs"))).toEqual([]);
  });

  it("never lets lib import components or app", async () => {
    expect(
      await layerErrors(
        "lib/api/thing.ts",
        `import { Button } from "@/components/ui/button";\nexport const x = Button;\n`,
      ),
    ).toHaveLength(1);
    expect(
      await layerErrors("lib/api/thing.ts", `import { GET } from "@/app/api/health/route";\nexport const x = GET;\n`),
    ).toHaveLength(1);
  });

  it("never lets components import app", async () => {
    expect(
      await layerErrors(
        "components/ui/thing.tsx",
        `import { GET } from "@/app/api/health/route";\nexport const x = GET;\n`,
      ),
    ).toHaveLength(1);
  });
});
