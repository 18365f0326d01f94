import path from "node:path";
import type { Viewer } from "../../lib/auth/session";
import type { WorkflowGraph } from "../../lib/schemas/workflow";

/**
 * The evaluation tests' workflow: Start (a question) → Write (model "writer") → Save (the file
 * server's write_file, writing Write's text to `file`) → Out (Write's text).
 */
export const answersGraph = (file: string): WorkflowGraph => ({
  nodes: [
    {
      id: "start",
      kind: "start",
      label: "Start",
      position: { x: 0, y: 0 },
      config: { fields: [{ name: "question", type: "text", required: true }] },
    },
    {
      id: "write",
      kind: "agent",
      label: "Write",
      position: { x: 260, y: 0 },
      config: { model: "writer", instructions: "Answer: {{nodes.start.output.question}}" },
    },
    {
      id: "save",
      kind: "tool",
      label: "Save",
      position: { x: 520, y: 0 },
      config: {
        tool: "files__write_file",
        arguments: [
          { name: "path", value: file },
          { name: "content", value: "{{nodes.write.output.text}}" },
        ],
      },
    },
    {
      id: "out",
      kind: "output",
      label: "Out",
      position: { x: 780, y: 0 },
      config: { value: "{{nodes.write.output.text}}" },
    },
  ],
  edges: [
    { id: "e1", source: "start", target: "write" },
    { id: "e2", source: "write", target: "save" },
    { id: "e3", source: "save", target: "out" },
  ],
});

/** Reads until `done` says so, or `ms` pass; answers the last reading. */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; ;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Adds the real filesystem MCP server (server-filesystem, over stdio) on `folder` as "files",
 * and lets builders and admins call its write_file without approval, so only an evaluation's
 * stand-ins keep a workflow's Save step from writing.
 */
export async function addFilesServer(admin: Viewer, folder: string): Promise<void> {
  const { db } = await import("../../lib/db/client");
  const mcp = await import("../../lib/mcp/admin");
  // Only an installation owner may add a server that runs a command on this machine.
  await (await db()).user.update({ where: { id: admin.user.id }, data: { installationOwner: true } });
  const filesystem = path.resolve("node_modules/@modelcontextprotocol/server-filesystem/dist/index.js");
  const server = await mcp.saveServer(admin, {
    name: "files",
    transport: "STDIO",
    command: process.execPath,
    args: [filesystem, folder],
    env: [],
    url: "",
    headers: [],
    enabled: true,
  });
  if (!(await mcp.testServer(admin, server.id)).ok) throw new Error("the files server did not start");
  const tool = (await mcp.listTools(admin)).find((t) => t.name === "files__write_file")!;
  await mcp.updateTool(admin, tool.id, {
    allowedRoles: ["BUILDER", "ADMIN"],
    allowedWorkflowIds: [],
    risk: "HIGH",
    requiresApproval: false,
    approve: false,
  });
}

/** A Loop step's config going through `items` with steps drawn inside it, two items at once, stopping at a failure. */
export const loopOver = (items: string) => ({
  items,
  workflowId: "",
  itemInput: "item",
  inputs: [],
  concurrency: 2,
  onItemFailure: "stop",
  maxItems: 100,
});
