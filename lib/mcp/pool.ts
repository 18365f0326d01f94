import "server-only";
import { onShutdown } from "../platform/shutdown";
import { processSingleton } from "../process/singleton";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { workspaceFetch } from "../egress/destinations";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { derivedKey } from "../config/secrets";
import { open } from "../crypto/secret-box";
import { logger } from "../log/logger";
import { shortReason } from "./redact-secrets";
import { GroupStdioTransport } from "./stdio-transport";

/**
 * One MCP client per server, kept in a pool and reused by every run of this process. A server
 * whose process exits, or whose call times out, is dropped from the pool (its calls in flight
 * fail with a message saying so) and started again on the next call; other servers are not
 * touched. Closing a stdio server ends its whole process group.
 */
export interface ServerConfig {
  id: string;
  name: string;
  transport: "STDIO" | "HTTP";
  command: string | null;
  args: string[];
  envSealed: string | null;
  url: string | null;
  headersSealed: string | null;
  /** A team's own server; null for the organization's (its installation owner's). */
  workspaceId: string | null;
}

interface Entry {
  version: string;
  client: Promise<Client>;
  transport: Transport;
  closing: boolean;
}

const pool = () =>
  processSingleton("mcp-pool", () => {
    // Child processes end with the process that started them.
    onShutdown("mcp-servers", "connections", closeAll);
    return new Map<string, Entry>();
  });

export const secretsKey = () => derivedKey("mcp-secrets");
export const openSecrets = (sealed: string | null): Record<string, string> =>
  sealed ? (JSON.parse(open(sealed, secretsKey())) as Record<string, string>) : {};
const versionOf = (s: ServerConfig) =>
  JSON.stringify([s.transport, s.command, s.args, s.envSealed, s.url, s.headersSealed]);

function transportFor(s: ServerConfig): Transport {
  if (s.transport === "STDIO") {
    if (!s.command) throw new Error(`MCP server “${s.name}” has no command.`);
    return new GroupStdioTransport({
      command: s.command,
      args: s.args,
      env: openSecrets(s.envSealed),
      label: s.name,
    });
  }
  if (!s.url) throw new Error(`MCP server “${s.name}” has no URL.`);
  return new StreamableHTTPClientTransport(new URL(s.url), {
    requestInit: { headers: openSecrets(s.headersSealed) },
    // A team's own server goes out through the egress guard: a private or loopback address only
    // when one of its HTTP destinations allows it. The organization's servers are its owner's.
    ...(s.workspaceId !== null && { fetch: workspaceFetch(s.workspaceId) }),
  });
}

/**
 * Why a server stopped, for the message of the calls it takes with it: a short reason fit for
 * the UI (first line, known secrets redacted); what the server printed is only in the log.
 */
function describe(s: ServerConfig, transport: Transport, error?: unknown): string {
  const raw = error instanceof Error ? error.message : error ? String(error) : "it stopped";
  const configured = Object.values(openSecrets(s.transport === "STDIO" ? s.envSealed : s.headersSealed));
  // A command the machine does not have: said so, not as "spawn … ENOENT".
  const missing = s.transport === "STDIO" && (error as { code?: unknown } | undefined)?.code === "ENOENT";
  const reason = missing
    ? `the command “${s.command}” was not found on this machine (ENOENT)`
    : shortReason(raw, configured);
  const exit = transport instanceof GroupStdioTransport ? transport.exitReason() : null;
  return `MCP server “${s.name}” is not available: ${reason}${exit ? ` (${exit})` : ""}`;
}

export function clientFor(s: ServerConfig): Promise<Client> {
  const version = versionOf(s);
  const existing = pool().get(s.id);
  if (existing && existing.version === version && !existing.closing) return existing.client;
  if (existing) void drop(s.id);
  const transport = transportFor(s);
  const client = new Client({ name: "flowdeck", version: "1.0.0" });
  const entry: Entry = { version, transport, closing: false, client: Promise.resolve(client) };
  entry.client = (async () => {
    try {
      await client.connect(transport, { timeout: 20_000 });
      return client;
    } catch (error) {
      if (pool().get(s.id) === entry) pool().delete(s.id);
      await transport.close().catch(() => undefined);
      throw new Error(describe(s, transport, error));
    }
  })();
  client.onclose = () => {
    if (pool().get(s.id) === entry) pool().delete(s.id);
    if (!entry.closing) logger().warn({ server: s.name }, "MCP server stopped; it starts again on its next call");
  };
  pool().set(s.id, entry);
  return entry.client;
}

/** Closes a server's client (and its process group); the next call starts it again. */
export async function drop(serverId: string): Promise<void> {
  const entry = pool().get(serverId);
  if (!entry) return;
  entry.closing = true;
  pool().delete(serverId);
  const client = await entry.client.catch(() => null);
  await client?.close().catch(() => undefined);
  await entry.transport.close().catch(() => undefined);
}

export async function closeAll(): Promise<void> {
  await Promise.all([...pool().keys()].map(drop));
}

/** The pid of a running stdio server (tests check that closing leaves no process behind). */
export function serverPid(serverId: string): number | undefined {
  const t = pool().get(serverId)?.transport;
  return t instanceof GroupStdioTransport ? t.pid : undefined;
}

export interface CallResult {
  isError: boolean;
  text: string;
  result: unknown;
  bytes: number;
}

/** Calls one tool; a timeout drops the server (it is restarted on the next call). */
export async function callOnServer(
  s: ServerConfig,
  tool: string,
  args: Record<string, unknown>,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<CallResult> {
  const client = await clientFor(s);
  try {
    const response = await client.callTool({ name: tool, arguments: args }, undefined, {
      timeout: options.timeoutMs,
      signal: options.signal,
    });
    const content = (response.content ?? []) as { type: string; text?: string }[];
    const text = content
      .filter((c) => c.type === "text")
      .map((c) => c.text ?? "")
      .join("\n");
    const result = response.structuredContent ?? content;
    return { isError: response.isError === true, text, result, bytes: Buffer.byteLength(JSON.stringify(response)) };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason ?? error;
    const entry = pool().get(s.id);
    const timedOut = /timed out|timeout/i.test(String((error as Error)?.message));
    if (timedOut) await drop(s.id);
    throw new Error(
      timedOut
        ? `MCP server “${s.name}” did not answer ${tool} within ${Math.round(options.timeoutMs / 1000)} s; it will be restarted.`
        : describe(s, entry?.transport ?? ({} as Transport), error),
    );
  }
}
