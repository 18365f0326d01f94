import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { logger } from "../log/logger";
import { redactSecrets } from "./redact-secrets";

/**
 * MCP over stdio with the server in a process group of its own: closing it (or this process
 * letting go of it) signals the whole group, so a server that starts helpers (npx, shells)
 * leaves no orphans. The SDK's own stdio transport cannot start a detached group.
 *
 * The child starts with PATH, HOME and its own configured variables only, never this
 * process's environment (FLOWDECK_SECRET, DATABASE_URL). What it writes to stderr goes to the
 * server log (known secrets redacted), never to the browser: callers get `exitReason()`.
 */
const live = new Set<number>();
let exitHook = false;
/** When this process exits, however it exits short of SIGKILL, its servers' groups end too. */
function endGroupsOnExit() {
  if (exitHook) return;
  exitHook = true;
  process.once("exit", () => {
    for (const pid of live) {
      try {
        process.kill(-pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
  });
}

/** PATH and HOME from this process, then the server's configured variables; nothing else. */
export function minimalEnvironment(configured: Record<string, string>): NodeJS.ProcessEnv {
  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/", ...configured };
  return env as unknown as NodeJS.ProcessEnv;
}

export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child: ChildProcess | null = null;
  private readonly buffer = new ReadBuffer();
  private stderrLine = "";
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(
    private readonly options: {
      command: string;
      args: string[];
      env: Record<string, string>;
      cwd?: string;
      /** Names the server in log lines. */
      label?: string;
    },
  ) {}

  /** How the process ended, in words fit for the UI (its output is only in the server log). */
  exitReason(): string | null {
    if (!this.exited) return null;
    const how = this.exited.signal ? `was ended by ${this.exited.signal}` : `exited with code ${this.exited.code}`;
    return `the process ${how}; what it printed is in the server log`;
  }

  /** Each whole line of stderr becomes one log line, with known secrets (studio's and server's) redacted. */
  private logStderr(chunk: string, flush = false) {
    const lines = (this.stderrLine + chunk).split("\n");
    this.stderrLine = flush ? "" : (lines.pop() ?? "").slice(-4_000);
    const values = Object.values(this.options.env);
    for (const line of lines)
      if (line.trim())
        logger().info(
          { mcpServer: this.options.label, stderr: redactSecrets(line.slice(0, 4_000), values) },
          "MCP server stderr",
        );
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(this.options.command, this.options.args, {
        env: minimalEnvironment(this.options.env),
        cwd: this.options.cwd,
        stdio: ["pipe", "pipe", "pipe"],
        detached: true,
      });
      this.child = child;
      child.once("error", (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once("spawn", () => {
        if (child.pid) live.add(child.pid);
        endGroupsOnExit();
        resolve();
      });
      child.once("exit", (code, signal) => {
        this.exited = { code, signal };
        this.logStderr("", true);
        if (child.pid) live.delete(child.pid);
        this.child = null;
        this.onclose?.();
      });
      child.stdout!.on("data", (chunk: Buffer) => {
        this.buffer.append(chunk);
        for (;;) {
          try {
            const message = this.buffer.readMessage();
            if (!message) break;
            this.onmessage?.(message);
          } catch (error) {
            this.onerror?.(error as Error);
          }
        }
      });
      child.stderr!.on("data", (chunk: Buffer) => this.logStderr(chunk.toString()));
      child.stdin!.on("error", (error) => this.onerror?.(error));
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin) throw new Error("The server process is not running.");
    await new Promise<void>((resolve) =>
      stdin.write(serializeMessage(message)) ? resolve() : stdin.once("drain", () => resolve()),
    );
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // the group is gone already
      }
    };
    kill("SIGTERM");
    const timer = setTimeout(() => kill("SIGKILL"), 2_000);
    await exited;
    clearTimeout(timer);
  }
}
