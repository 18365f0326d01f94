import "server-only";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { AppError } from "../errors/app-error";
import { awaitRun } from "./await-run";
import { startRun } from "./start-run";
import { startConfigOf } from "../schemas/node-kinds/start";
import { findUnstorable } from "../schemas/storable";
import { workflowGraphSchema } from "../schemas/workflow";
import { auditToolCall } from "../mcp/tools";

/**
 * Published workflows as MCP tools: `/api/mcp` is a stateless Streamable HTTP MCP server for
 * API keys. It lists the workspace's workflows marked "expose as tool" (input schema from the
 * Start node's fields) and runs one on call: the result is the run's output. Every call is
 * audited like any tool call.
 */
const WAIT_MS = 5 * 60_000;
const jsonType = { string: "string", text: "string", number: "number", boolean: "boolean", json: {} } as const;

export const toolNameOf = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 60) || "workflow";

async function exposedWorkflows(workspaceId: string) {
  const prisma = await db();
  const rows = await prisma.workflow.findMany({
    where: { workspaceId, deletedAt: null, exposeAsTool: true },
    include: { versions: { orderBy: { version: "desc" }, take: 1 } },
  });
  return rows
    .filter((w) => w.versions.length)
    .map((w) => {
      const graph = workflowGraphSchema.parse(w.versions[0]!.graph);
      const start = startConfigOf(graph);
      const properties = Object.fromEntries(
        start.fields.map((f) => {
          const t = jsonType[f.type];
          return [
            f.name,
            { ...(typeof t === "string" ? { type: t } : {}), ...(f.description ? { description: f.description } : {}) },
          ];
        }),
      );
      return {
        id: w.id,
        name: toolNameOf(w.name),
        description:
          w.description ||
          `Runs the Flowdeck workflow “${w.name}” (version ${w.versions[0]!.version}) and returns its output.`,
        inputSchema: {
          type: "object" as const,
          properties,
          required: start.fields.filter((f) => f.required).map((f) => f.name),
        },
      };
    });
}

function mcpServer(viewer: Viewer, signal: AbortSignal): Server {
  const server = new Server({ name: "flowdeck", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await exposedWorkflows(viewer.workspace.id)).map(({ id: _id, ...t }) => t),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const started = performance.now();
    const name = request.params.name;
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const caller = {
      workspaceId: viewer.workspace.id,
      userId: viewer.user.id,
      role: viewer.role,
      source: "api" as const,
    };
    const workflow = (await exposedWorkflows(viewer.workspace.id)).find((w) => w.name === name);
    const prisma = await db();
    if (!workflow) {
      await auditToolCall(prisma, {
        caller,
        serverName: "flowdeck",
        toolName: name,
        args,
        outcome: "denied",
        error: "no such exposed workflow",
      });
      return {
        isError: true,
        content: [{ type: "text", text: `There is no workflow tool “${name}”; list the tools to see those offered.` }],
      };
    }
    // The transport reads its own body, past route()'s checks: what the database cannot store
    // (a NUL, a lone surrogate, JSON nested too deep) is named here, not a database error.
    const unstorable = findUnstorable(args, "arguments");
    if (unstorable) {
      const text = `${unstorable.path}: ${unstorable.message}.`;
      // The arguments themselves could not be stored: the error names the field.
      await auditToolCall(prisma, {
        caller,
        serverName: "flowdeck",
        toolName: name,
        args: {},
        outcome: "denied",
        error: text,
      });
      return { isError: true, content: [{ type: "text", text }] };
    }
    try {
      const { id: runId } = await startRun(viewer, workflow.id, { input: args, mode: "published" }, { trigger: "mcp" });
      const run = await awaitRun(runId, WAIT_MS, signal);
      const text =
        run.status === "COMPLETED"
          ? typeof run.output === "string"
            ? run.output
            : JSON.stringify(run.output)
          : run.status === "WAITING"
            ? `The run ${runId} is waiting for a person's review; it continues once decided.`
            : `The run ${runId} ${run.status.toLowerCase()}: ${run.error ?? ""}`;
      const ok = run.status === "COMPLETED" || run.status === "WAITING";
      await auditToolCall(prisma, {
        caller: { ...caller, runId, workflowId: workflow.id },
        serverName: "flowdeck",
        toolName: name,
        args,
        outcome: ok ? "ok" : "error",
        error: ok ? null : text,
        resultBytes: Buffer.byteLength(text),
        latencyMs: performance.now() - started,
      });
      return {
        isError: !ok,
        content: [{ type: "text", text }],
        ...(run.status === "COMPLETED" && run.output && typeof run.output === "object" && !Array.isArray(run.output)
          ? { structuredContent: run.output as Record<string, unknown> }
          : {}),
      };
    } catch (error) {
      const message = error instanceof AppError ? error.message : (error as Error).message;
      await auditToolCall(prisma, {
        caller,
        serverName: "flowdeck",
        toolName: name,
        args,
        outcome: "error",
        error: message,
        latencyMs: performance.now() - started,
      });
      return { isError: true, content: [{ type: "text", text: message }] };
    }
  });
  return server;
}

/** Answers one Streamable HTTP request (stateless: a server and transport per request). */
export async function handleMcpRequest(viewer: Viewer, request: Request): Promise<Response> {
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  const server = mcpServer(viewer, request.signal);
  await server.connect(transport);
  const response = await transport.handleRequest(request);
  return response;
}
