import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The layer rule of DESIGN.md is enforced by ESLint (eslint-plugin-boundaries). These cases
 * prove the rule bites, so a config change cannot switch it off unnoticed.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "boundaries/element-types").map((m) => m.message);
}

describe("layer rules", () => {
  it("keeps lib/engine pure: no database, gateway or other lib modules", async () => {
    expect(await layerErrors("lib/engine/run.ts", `import { db } from "../db/client";\nexport const x = db;\n`)).toEqual([
      expect.stringMatching(/engine must not import lib/),
    ]);
  });

  it("lets lib/engine import lib/schemas", async () => {
    expect(await layerErrors("lib/engine/run.ts", `import { workflowGraphSchema } from "../schemas/workflow";\nexport const x = workflowGraphSchema;\n`)).toEqual([]);
  });

  it("keeps lib/schemas free of I/O layers", async () => {
    expect(await layerErrors("lib/schemas/thing.ts", `import { db } from "../db/client";\nexport const x = db;\n`)).toHaveLength(1);
  });

  it("never lets lib import components or app", async () => {
    expect(await layerErrors("lib/api/thing.ts", `import { Button } from "@/components/ui/button";\nexport const x = Button;\n`)).toHaveLength(1);
    expect(await layerErrors("lib/api/thing.ts", `import { GET } from "@/app/api/health/route";\nexport const x = GET;\n`)).toHaveLength(1);
  });

  it("never lets components import app", async () => {
    expect(await layerErrors("components/ui/thing.tsx", `import { GET } from "@/app/api/health/route";\nexport const x = GET;\n`)).toHaveLength(1);
  });
});
