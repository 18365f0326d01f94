import "server-only";
import { toolCallSpan } from "../tracing/tracing";
import { createHash } from "node:crypto";
import { database, db } from "../db/client";
import type { PrismaClient, ToolCallAudit } from "../db/generated/client";
import { toJson } from "../db/json";
import { bufferedWriter } from "../platform/buffered-writer";
import { notifiedCache } from "../platform/notified-cache";
import type { Role } from "../schemas/identity";
import { callOnServer, clientFor, type ServerConfig } from "./pool";
import { storableJson } from "../schemas/storable";

/**
 * The tool catalog and the one door to tools. Discovery lists a server's tools and hashes each
 * (name, description, input schema); permissions are deny by default; `invokeTool` checks them,
 * calls through the pool and writes exactly one audit row for every call, allowed or not.
 */
export const catalogName = (server: string, tool: string) => `${server}__${tool}`;
export const hashTool = (t: { name: string; description?: string; inputSchema: unknown }) =>
  createHash("sha256")
    .update(JSON.stringify([t.name, t.description ?? "", t.inputSchema]))
    .digest("hex");

export interface Discovery {
  added: string[];
  changed: string[];
  missing: string[];
  total: number;
}

type Found = {
  name: string;
  description?: string;
  inputSchema: unknown;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean };
}[];

/**
 * A new tool's risk, from what its server says of it (MCP's tool annotations, hints an admin can
 * change): reads only, low; changes things but says it destroys nothing, medium; destroys (or
 * says nothing, which MCP reads as "may destroy"), high.
 */
export function riskOf(annotations: Found[number]["annotations"]): "LOW" | "MEDIUM" | "HIGH" {
  if (annotations?.readOnlyHint === true) return "LOW";
  return annotations?.destructiveHint === false ? "MEDIUM" : "HIGH";
}

/**
 * Lists a server's tools and brings each team's catalog of them up to date: a workspace's own
 * server is in its workspace's catalog; an organization's is in the catalog of every team it is
 * granted to (`teams`), each team setting its own permissions. New tools are allowed to nobody,
 * and start at the risk their server's hints give (`riskOf`).
 */
export async function discoverTools(prisma: PrismaClient, server: ServerConfig, teams: string[]): Promise<Discovery> {
  const client = await clientFor(server);
  const found: Found = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: 20_000 });
    found.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor && found.length < 2_000);
  const added = new Set<string>();
  const changed = new Set<string>();
  const missing = new Set<string>();
  for (const workspaceId of teams) {
    const r = await syncCatalog(prisma, server, workspaceId, found);
    r.added.forEach((n) => added.add(n));
    r.changed.forEach((n) => changed.add(n));
    r.missing.forEach((n) => missing.add(n));
  }
  return { added: [...added], changed: [...changed], missing: [...missing], total: found.length };
}

async function syncCatalog(prisma: PrismaClient, server: ServerConfig, workspaceId: string, found: Found) {
  const existing = new Map(
    (await prisma.mcpTool.findMany({ where: { serverId: server.id, workspaceId } })).map((t) => [t.toolName, t]),
  );
  const added: string[] = [];
  const changed: string[] = [];
  for (const t of found) {
    const hash = hashTool(t);
    const name = catalogName(server.name, t.name);
    const row = existing.get(t.name);
    if (!row) {
      // New tools are known from now on but allowed to nobody (no roles) until an admin says so.
      await prisma.mcpTool.create({
        data: {
          workspaceId,
          serverId: server.id,
          name,
          toolName: t.name,
          description: t.description ?? "",
          inputSchema: toJson(t.inputSchema as object),
          schemaHash: hash,
          approvedHash: hash,
          risk: riskOf(t.annotations),
        },
      });
      added.push(name);
    } else {
      if (row.schemaHash !== hash) changed.push(name);
      await prisma.mcpTool.update({
        where: { id: row.id },
        data: {
          description: t.description ?? "",
          inputSchema: toJson(t.inputSchema as object),
          schemaHash: hash,
          missingSince: null,
        },
      });
    }
  }
  const gone = [...existing.values()].filter((t) => !found.some((f) => f.name === t.toolName) && !t.missingSince);
  if (gone.length)
    await prisma.mcpTool.updateMany({
      where: { id: { in: gone.map((t) => t.id) } },
      data: { missingSince: new Date() },
    });
  return { added, changed, missing: gone.map((t) => t.name) };
}

export interface ToolCaller {
  workspaceId: string;
  userId: string | null;
  role: Role | null;
  workflowId?: string | null;
  runId?: string | null;
  nodeId?: string | null;
  source: "workflow" | "api";
}

type ToolRow = Awaited<ReturnType<typeof loadCatalog>> extends Map<string, infer T> ? T : never;

/**
 * A team's tools: of its own servers and of the organization's granted to it. A row of a server
 * whose grant is gone (a discovery that raced a revoke) is never in the catalog.
 */
export const inCatalog = (workspaceId: string) => ({
  workspaceId,
  server: { OR: [{ workspaceId }, { workspaceId: null, grants: { some: { workspaceId } } }] },
});

async function loadCatalog(workspaceId: string) {
  const prisma = await db();
  const rows = await prisma.mcpTool.findMany({ where: inCatalog(workspaceId), include: { server: true } });
  return new Map(rows.map((t) => [t.name, t]));
}

/**
 * A workspace's catalog, kept in memory (every tool call reads it); admin changes and
 * discoveries drop it here and, by NOTIFY, in every other process.
 */
const catalogs = notifiedCache({ name: "tool-catalog", channel: "tools", ttlMs: 60_000, load: loadCatalog });
const catalog = (workspaceId: string) => catalogs.get(workspaceId);

export async function toolsChanged(workspaceId: string): Promise<void> {
  await catalogs.invalidate(workspaceId);
}

async function findTool(_prisma: PrismaClient, workspaceId: string, name: string): Promise<ToolRow | null> {
  return (await catalog(workspaceId)).get(name) ?? null;
}

/** Why the caller may not use the tool, or null when they may. */
export function refusal(tool: ToolRow | null, name: string, caller: ToolCaller): string | null {
  if (!tool) return `There is no tool “${name}” in this workspace's catalog.`;
  if (!tool.server.enabled) return `The MCP server “${tool.server.name}” is switched off.`;
  if (tool.missingSince) return `The tool “${name}” is no longer offered by its server.`;
  if (tool.approvedHash !== tool.schemaHash)
    return `The tool “${name}” changed on its server (name, description or input schema) and is off until an admin approves the new version.`;
  if (!caller.role || !tool.allowedRoles.includes(caller.role)) {
    return `You may not use the tool “${name}”: it is open to ${tool.allowedRoles.length ? `the role${tool.allowedRoles.length > 1 ? "s" : ""} ${tool.allowedRoles.map((r) => r.toLowerCase()).join(", ")}` : "nobody yet (an admin allows roles under Tools)"}${caller.role ? `, and you are ${caller.role.toLowerCase()}` : ""}.`;
  }
  if (tool.allowedWorkflowIds.length && (!caller.workflowId || !tool.allowedWorkflowIds.includes(caller.workflowId)))
    return `The tool “${name}” may not be used by this workflow; an admin can allow it under Tools.`;
  return null;
}

/** The tools this caller may use (editor pickers, agent tool sets). */
export async function usableTools(caller: ToolCaller) {
  const rows = [...(await catalog(caller.workspaceId)).values()].sort((a, b) => a.name.localeCompare(b.name));
  return rows.filter((t) => refusal(t, t.name, caller) === null);
}

const SECRET_KEY = /pass|secret|token|api[-_]?key|authorization|credential|cookie/i;
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[redacted]" : redact(v, depth + 1)]),
  );
}

export interface AuditEntryInput {
  caller: ToolCaller;
  serverName: string;
  toolName: string;
  args: Record<string, unknown> | null;
  outcome: "ok" | "error" | "denied" | "awaiting_approval" | "rejected";
  error?: string | null;
  resultBytes?: number;
  latencyMs?: number;
  approver?: string | null;
}

/** A stored audit row, as the table has it (its arguments redacted, whatever JSON they are; its id the writer's). */
type AuditRow = Omit<ToolCallAudit, "id" | "arguments"> & { arguments: unknown };

// A batch in one statement, as the usage ledger's (lib/gateway/ledger.ts): the rows as one JSON
// array (a NUL or half an emoji, in a value or a key, made storable: storableJson); rows already
// written (by the ids the buffered writer gave them) are skipped.
const WRITE_AUDIT = `
INSERT INTO "ToolCallAudit" ("id", "workspaceId", "userId", "runId", "nodeId", "workflowId", "serverName", "toolName",
  "arguments", "outcome", "error", "resultBytes", "latencyMs", "approver", "source", "at")
SELECT "id", "workspaceId", "userId", "runId", "nodeId", "workflowId", "serverName", "toolName", "arguments", "outcome",
  "error", "resultBytes", "latencyMs", "approver", "source", "at"
FROM jsonb_to_recordset($1::jsonb) AS r("id" text, "workspaceId" text, "userId" text, "runId" text, "nodeId" text,
  "workflowId" text, "serverName" text, "toolName" text, "arguments" jsonb, "outcome" text, "error" text,
  "resultBytes" int, "latencyMs" int, "approver" text, "source" text, "at" timestamp(3))
ON CONFLICT ("id") DO NOTHING`;

/**
 * One audit row per call, written off the hot path through a buffered writer (lib/platform):
 * rows are inserted together every quarter second; a batch the database refused is kept and
 * written again; one written again after its answer was lost (the commit went through) skips
 * the rows already there.
 */
const auditWriter = bufferedWriter<AuditRow>({
  name: "tool-audit",
  write: async (batch, ids) => {
    const rows = batch.map((row, i) => ({ ...row, id: ids[i] }));
    await (await database()).sql.query(WRITE_AUDIT, [storableJson(rows)], "flowdeck_tool_audit");
  },
});

export function flushToolAudit(): Promise<void> {
  return auditWriter.flush();
}

export async function auditToolCall(_prisma: PrismaClient, e: AuditEntryInput): Promise<void> {
  if (e.outcome !== "awaiting_approval")
    toolCallSpan({
      runId: e.caller.runId,
      nodeId: e.caller.nodeId,
      serverName: e.serverName,
      toolName: e.toolName,
      outcome: e.outcome,
      error: e.error,
      latencyMs: e.latencyMs ?? 0,
    });
  auditWriter.add({
    workspaceId: e.caller.workspaceId,
    userId: e.caller.userId,
    runId: e.caller.runId ?? null,
    nodeId: e.caller.nodeId ?? null,
    workflowId: e.caller.workflowId ?? null,
    serverName: e.serverName,
    toolName: e.toolName,
    arguments: e.args ? redact(e.args) : null,
    outcome: e.outcome,
    error: e.error?.slice(0, 2_000) ?? null,
    resultBytes: e.resultBytes ?? 0,
    latencyMs: Math.round(e.latencyMs ?? 0),
    approver: e.approver ?? null,
    source: e.caller.source,
    at: new Date(),
  });
}

export class ToolRefused extends Error {
  override name = "ToolRefused";
}

/** Whether calls of this tool wait for a person's approval first. */
export async function needsApproval(workspaceId: string, name: string): Promise<boolean> {
  return (await catalog(workspaceId)).get(name)?.requiresApproval ?? false;
}

const serverName = (name: string) => name.split("__")[0] ?? name;

/**
 * The one way a tool is called: permission check, the call through the pool (60 s at most),
 * and one audit row whatever happens. A tool that needs approval is refused here unless
 * `approver` says who approved this call.
 */
export async function invokeTool(
  caller: ToolCaller,
  name: string,
  args: Record<string, unknown>,
  options: { signal?: AbortSignal; approver?: string; timeoutMs?: number } = {},
): Promise<{ text: string; result: unknown }> {
  const prisma = await db();
  const tool = await findTool(prisma, caller.workspaceId, name);
  const refused =
    refusal(tool, name, caller) ??
    (tool?.requiresApproval && !options.approver
      ? `The tool “${name}” needs a person's approval for each call, and none was given.`
      : null);
  if (refused || !tool) {
    await auditToolCall(prisma, {
      caller,
      serverName: tool?.server.name ?? serverName(name),
      toolName: tool?.toolName ?? name,
      args,
      outcome: "denied",
      error: refused,
    });
    throw new ToolRefused(refused ?? `There is no tool “${name}”.`);
  }
  const started = performance.now();
  try {
    const r = await callOnServer(tool.server, tool.toolName, args, {
      timeoutMs: options.timeoutMs ?? 60_000,
      signal: options.signal,
    });
    await auditToolCall(prisma, {
      caller,
      serverName: tool.server.name,
      toolName: tool.toolName,
      args,
      outcome: r.isError ? "error" : "ok",
      error: r.isError ? r.text : null,
      resultBytes: r.bytes,
      latencyMs: performance.now() - started,
      approver: options.approver,
    });
    if (r.isError) throw new Error(`The tool “${name}” failed: ${r.text || "no message"}`);
    return { text: r.text, result: r.result };
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith(`The tool “${name}” failed`))) {
      await auditToolCall(prisma, {
        caller,
        serverName: tool.server.name,
        toolName: tool.toolName,
        args,
        outcome: "error",
        error: (error as Error).message,
        latencyMs: performance.now() - started,
        approver: options.approver,
      });
    }
    throw error;
  }
}
