import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import { ReadBuffer, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/**
 * MCP over stdio with the server in a process group of its own: closing it (or this process
 * letting go of it) signals the whole group, so a server that starts helpers (npx, shells)
 * leaves no orphans. The SDK's own stdio transport cannot start a detached group.
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

export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child: ChildProcess | null = null;
  private readonly buffer = new ReadBuffer();
  private stderr = "";

  constructor(
    private readonly options: { command: string; args: string[]; env: Record<string, string>; cwd?: string },
  ) {}

  /** The last lines the server wrote to stderr, for error messages. */
  recentStderr(): string {
    return this.stderr.trim().split("\n").slice(-5).join("\n");
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(this.options.command, this.options.args, {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          ...this.options.env,
        } as unknown as NodeJS.ProcessEnv,
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
      child.once("exit", () => {
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
      child.stderr!.on("data", (chunk: Buffer) => {
        this.stderr = (this.stderr + chunk.toString()).slice(-4_000);
      });
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
