/**
 * Tool-call overhead (issue: MCP tools): a call of server-everything's `echo` over stdio through
 * Flowdeck's door (permission check, pooled client, audit row) vs a direct MCP SDK client call
 * to the same kind of server, interleaved in one run. Prints one JSON object. Target: < 2 ms
 * p50 added.
 */
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { seedWorkspace, pointAtScratchDatabase } from "../test/support/process-database";
import { pct, r2 } from "./support/stats";

const everything = path.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js");
const N = 500;

async function main() {
  const scratch = await pointAtScratchDatabase("benchmcp");
  const { db } = await import("../lib/db/client");
  const admin = await import("../lib/mcp/admin");
  const { invokeTool } = await import("../lib/mcp/tools");
  const { closeAll } = await import("../lib/mcp/pool");
  const direct = new Client({ name: "bench", version: "1" });
  try {
    const prisma = await db();
    const [viewer] = await seedWorkspace(prisma, "bench-mcp", [
      { email: "bench@example.com", role: "ADMIN", installationOwner: true },
    ]);
    const ws = viewer.workspace;
    const user = viewer.user;
    const { id } = await admin.saveServer(viewer, {
      name: "everything",
      transport: "STDIO",
      command: process.execPath,
      args: [everything, "stdio"],
      env: [],
      url: "",
      headers: [],
      enabled: true,
    });
    await admin.testServer(viewer, id);
    const tool = (await admin.listTools(viewer)).find((t) => t.name === "everything__echo")!;
    await admin.updateTool(viewer, tool.id, {
      allowedRoles: ["ADMIN"],
      allowedWorkflowIds: [],
      risk: "LOW",
      requiresApproval: false,
      approve: false,
    });
    await direct.connect(
      new StdioClientTransport({ command: process.execPath, args: [everything, "stdio"], stderr: "ignore" }),
    );
    const caller = { workspaceId: ws.id, userId: user.id, role: "ADMIN" as const, source: "workflow" as const };
    const viaDirect = () => direct.callTool({ name: "echo", arguments: { message: "hi" } });
    const viaFlowdeck = () => invokeTool(caller, "everything__echo", { message: "hi" });
    for (let i = 0; i < 30; i++) await Promise.all([viaDirect(), viaFlowdeck()]);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < N; i++) {
      let t = performance.now();
      await viaDirect();
      xs.push(performance.now() - t);
      t = performance.now();
      await viaFlowdeck();
      ys.push(performance.now() - t);
    }
    console.log(
      JSON.stringify({
        benchmark: "mcp",
        database: scratch.scratch.kind,
        calls: N,
        directSdkMs: { p50: r2(pct(xs, 50)), p99: r2(pct(xs, 99)) },
        throughFlowdeckMs: { p50: r2(pct(ys, 50)), p99: r2(pct(ys, 99)) },
        addedP50Ms: r2(pct(ys, 50) - pct(xs, 50)),
        addedP99Ms: r2(pct(ys, 99) - pct(xs, 99)),
        target: { addedP50Ms: 2 },
        note: "through Flowdeck = permission check (catalog in memory), pooled client, one audit row per call (buffered, written in batches off the hot path)",
      }),
    );
  } finally {
    await direct.close().catch(() => undefined);
    await closeAll();
    await scratch.done();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
