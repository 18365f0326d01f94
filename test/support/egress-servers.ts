import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { sendHttpRequest, type HttpRequest } from "../../lib/egress/http-request";
import type { HostRule } from "../../lib/egress/policy";

/**
 * Two real HTTP servers on loopback, "a" and "b" (two ports, so two origins), for the tests of
 * the HTTP egress door (lib/egress). Each records what reached it, so a refusal is seen to happen
 * before any request is sent. A test file calls `startEgressServers()` once; `a`, `b` and `rules`
 * are live bindings, set by its hooks.
 */
interface Heard {
  server: "a" | "b";
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}
export const heard: Heard[] = [];
export const hits = new Map<string, number>();
export let a: { server: Server; port: number; origin: string };
export let b: { server: Server; port: number; origin: string };

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
const routes: Record<string, Handler> = {
  "/hello": (_req, res) => res.writeHead(200, { "content-type": "text/plain", "x-Mixed-Case": "yes" }).end("héllo"),
  "/echo": (req, res) => {
    const last = heard.at(-1)!;
    res
      .writeHead(201, { "content-type": "application/json" })
      .end(JSON.stringify({ method: req.method, body: last.body }));
  },
  "/status-400": (_req, res) => res.writeHead(400).end("bad"),
  "/status-500": (_req, res) => res.writeHead(500).end("broken"),
  "/flaky-503": (_req, res, hit) => (hit <= 2 ? res.writeHead(503).end("later") : res.writeHead(200).end("at last")),
  "/always-503": (_req, res) => res.writeHead(503).end("down"),
  "/busy-429": (_req, res, hit) =>
    hit === 1 ? res.writeHead(429, { "retry-after": "1" }).end("slow down") : res.writeHead(200).end("ok now"),
  "/busy-429-long": (_req, res) => res.writeHead(429, { "retry-after": "30" }).end("slow down"),
  "/drops-once": (req, res, hit) => (hit === 1 ? req.socket.destroy() : res.writeHead(200).end("reconnected")),
  "/big": (_req, res) => res.writeHead(200, { "content-length": "5000" }).end("x".repeat(5000)),
  "/big-chunked": (_req, res) => {
    res.writeHead(200);
    for (let i = 0; i < 50; i++) res.write("y".repeat(100));
    res.end();
  },
  "/exactly-100": (_req, res) => res.writeHead(200).end("z".repeat(100)),
  "/hang": () => {}, // never answers
  "/trickle": (_req, res) => {
    res.writeHead(200);
    res.write("first");
    // the rest never comes
  },
  "/landing": (_req, res) => res.writeHead(200).end("landed"),
};

/** Redirect routes: /redirect/<status>?to=<url> */
function redirect(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url!, "http://x");
  const status = Number(url.pathname.split("/")[2]);
  res.writeHead(status, { location: url.searchParams.get("to")! }).end();
}

async function start(name: "a" | "b") {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = new URL(req.url!, "http://x").pathname;
      heard.push({
        server: name,
        method: req.method!,
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const key = `${name}${path}`;
      const hit = (hits.get(key) ?? 0) + 1;
      hits.set(key, hit);
      if (path.startsWith("/redirect/")) return redirect(req, res);
      const route = routes[path];
      if (!route) return res.writeHead(404).end("no such route");
      route(req, res, hit);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, port, origin: `http://127.0.0.1:${port}` };
}

export const heardBy = (server: "a" | "b") => heard.filter((h) => h.server === server);

export let rules: HostRule[];
export const send = (url: string, more: Partial<HttpRequest> = {}, withRules = rules) =>
  sendHttpRequest(
    { method: "GET", url, headers: {}, timeoutMs: 5_000, maxResponseBytes: 1_000_000, retries: 0, ...more },
    withRules,
  );

/** The rejection of `promise`, which must reject. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  const result = await promise.then(
    () => null,
    (error: unknown) => error as Error,
  );
  if (!result) throw new Error("expected the request to fail, but it succeeded");
  return result;
}

/** Starts both servers for the file, and forgets what they heard before each test. */
export function startEgressServers(): void {
  beforeAll(async () => {
    a = await start("a");
    b = await start("b");
  });
  afterAll(async () => {
    for (const { server } of [a, b]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
  beforeEach(() => {
    heard.length = 0;
    hits.clear();
    rules = [
      { pattern: `127.0.0.1:${a.port}`, allowPrivate: true },
      { pattern: `127.0.0.1:${b.port}`, allowPrivate: true },
    ];
  });
}
