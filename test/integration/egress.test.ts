import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sendHttpRequest, type HttpRequest } from "../../lib/egress/http-request";
import { EgressRefused, type HostRule } from "../../lib/egress/policy";

/**
 * The HTTP egress door (lib/egress) against two real HTTP servers on loopback, "a" and "b"
 * (two ports, so two origins). Each records what reached it, so a refusal is seen to happen
 * before any request is sent. No database.
 */
interface Heard {
  server: "a" | "b";
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
}
const heard: Heard[] = [];
const hits = new Map<string, number>();
let a: { server: Server; port: number; origin: string };
let b: { server: Server; port: number; origin: string };

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

const heardBy = (server: "a" | "b") => heard.filter((h) => h.server === server);

let rules: HostRule[];
const send = (url: string, more: Partial<HttpRequest> = {}, withRules = rules) =>
  sendHttpRequest(
    { method: "GET", url, headers: {}, timeoutMs: 5_000, maxResponseBytes: 1_000_000, retries: 0, ...more },
    withRules,
  );

/** The rejection of `promise`, which must reject. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const result = await promise.then(
    () => null,
    (error: unknown) => error as Error,
  );
  if (!result) throw new Error("expected the request to fail, but it succeeded");
  return result;
}

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

describe("allowed destinations", () => {
  it("sends a request to an allowed host and returns status, lower-case headers, text body and counts", async () => {
    const res = await send(`${a.origin}/hello?q=1`, { headers: { "X-Trace": "t-1" } });
    expect(res.status).toBe(200);
    expect(res.statusText).toBe("OK");
    expect(res.body).toBe("héllo");
    expect(res.bytes).toBe(Buffer.byteLength("héllo"));
    expect(res.headers["x-mixed-case"]).toBe("yes");
    expect(res.headers["content-type"]).toBe("text/plain");
    expect(res).toMatchObject({ url: `${a.origin}/hello?q=1`, attempts: 1, redirects: 0 });
    expect(res.durationMs).toBeGreaterThanOrEqual(0);
    expect(heardBy("a")).toHaveLength(1);
    expect(heard[0]!.headers["x-trace"]).toBe("t-1");
  });

  it("sends the body of a POST as given, and returns a non-2xx status instead of throwing", async () => {
    const res = await send(`${a.origin}/echo`, {
      method: "POST",
      body: '{"n":1}',
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ method: "POST", body: '{"n":1}' });
    const missing = await send(`${a.origin}/nowhere`);
    expect(missing.status).toBe(404);
    expect(missing.body).toBe("no such route");
  });
});

describe("refused destinations", () => {
  it("refuses a host no rule allows before connecting", async () => {
    const error = await failure(send(`${a.origin}/hello`, {}, [{ pattern: "api.example.com", allowPrivate: true }]));
    expect(error).toBeInstanceOf(EgressRefused);
    expect((error as EgressRefused).reason).toBe("not-allowed");
    expect(error.message).toBe(
      `127.0.0.1:${a.port} is not an allowed destination of this workspace (an admin allows hosts under HTTP destinations)`,
    );
    // The same host on another port is another destination.
    const otherPort = await failure(send(`${a.origin}/hello`, {}, [{ pattern: "127.0.0.1:1", allowPrivate: true }]));
    expect((otherPort as EgressRefused).reason).toBe("not-allowed");
    expect(heard).toHaveLength(0);
  });

  it("refuses loopback when the rule does not allow private addresses: an IP literal, and a name resolved to one", async () => {
    const literal = await failure(send(`${a.origin}/hello`, {}, [{ pattern: `127.0.0.1`, allowPrivate: false }]));
    expect(literal).toBeInstanceOf(EgressRefused);
    expect((literal as EgressRefused).reason).toBe("private-address");
    expect(literal.message).toContain("127.0.0.1");

    // "localhost" is a name: refused in the connection's own lookup, naming the address it resolved to.
    const named = await failure(
      send(`http://localhost:${a.port}/hello`, {}, [{ pattern: `localhost:${a.port}`, allowPrivate: false }]),
    );
    expect(named).toBeInstanceOf(EgressRefused);
    expect((named as EgressRefused).reason).toBe("private-address");
    expect(named.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a private/);

    const mapped = await failure(
      send(`http://[::ffff:127.0.0.1]:${a.port}/`, {}, [{ pattern: "[::ffff:7f00:1]", allowPrivate: false }]),
    );
    expect((mapped as EgressRefused).reason).toBe("private-address");
    expect(heard).toHaveLength(0);

    // With allowPrivate the same name goes through.
    const allowed = await send(`http://localhost:${a.port}/hello`, {}, [{ pattern: "localhost", allowPrivate: true }]);
    expect(allowed.status).toBe(200);
  });

  it("refuses other schemes and URLs with credentials", async () => {
    const ftp = await failure(send(`ftp://127.0.0.1:${a.port}/file`));
    expect((ftp as EgressRefused).reason).toBe("scheme");
    const file = await failure(send("file:///etc/passwd"));
    expect((file as EgressRefused).reason).toBe("scheme");
    const creds = await failure(send(`http://user:pass@127.0.0.1:${a.port}/hello`));
    expect(creds).toBeInstanceOf(EgressRefused);
    expect(creds.message).not.toContain("pass@");
    expect(heard).toHaveLength(0);
  });

  it("refuses headers that would steer the connection, naming the header and not its value", async () => {
    const error = await failure(send(`${a.origin}/hello`, { headers: { Host: "internal.secret-value" } }));
    expect(error.message).toContain("Host");
    expect(error.message).not.toContain("secret-value");
    expect(heard).toHaveLength(0);
  });
});

describe("redirects", () => {
  it("follows a redirect to an allowed origin, dropping every header that could carry a credential", async () => {
    const to = `${b.origin}/landing`;
    const res = await send(`${a.origin}/redirect/302?to=${encodeURIComponent(to)}`, {
      headers: { Authorization: "Bearer s3cret", Cookie: "session=1", "X-Api-Key": "k3y", Accept: "text/plain" },
    });
    expect(res).toMatchObject({ status: 200, body: "landed", url: to, redirects: 1 });
    const landing = heardBy("b")[0]!;
    expect(landing.headers.authorization).toBeUndefined();
    expect(landing.headers.cookie).toBeUndefined();
    expect(landing.headers["x-api-key"]).toBeUndefined();
    expect(landing.headers.accept).toBe("text/plain");
    // The first hop had them.
    expect(heardBy("a")[0]!.headers.authorization).toBe("Bearer s3cret");
  });

  it("refuses a 307 that would send the request's body to another origin", async () => {
    const to = `${b.origin}/echo`;
    const error = await failure(
      send(`${a.origin}/redirect/307?to=${encodeURIComponent(to)}`, { method: "POST", body: "secret payload" }),
    );
    expect((error as EgressRefused).reason).toBe("redirect");
    expect(heardBy("b")).toHaveLength(0);
  });

  it("keeps Authorization on a redirect within the origin", async () => {
    const res = await send(`${a.origin}/redirect/301?to=/landing`, { headers: { Authorization: "Bearer s3cret" } });
    expect(res).toMatchObject({ status: 200, url: `${a.origin}/landing`, redirects: 1 });
    expect(heardBy("a")[1]!.headers.authorization).toBe("Bearer s3cret");
  });

  it("refuses a redirect to a host no rule allows, naming the host, before connecting to it", async () => {
    const to = `http://localhost:${b.port}/landing`;
    const error = await failure(send(`${a.origin}/redirect/302?to=${encodeURIComponent(to)}`));
    expect(error).toBeInstanceOf(EgressRefused);
    expect((error as EgressRefused).reason).toBe("redirect");
    expect(error.message).toContain(`localhost:${b.port}`);
    expect(heardBy("b")).toHaveLength(0);
  });

  it("refuses a redirect to a private address the redirect's rule does not allow", async () => {
    const to = `http://localhost:${b.port}/landing`;
    const error = await failure(
      send(`${a.origin}/redirect/307?to=${encodeURIComponent(to)}`, {}, [
        ...rules,
        { pattern: "localhost", allowPrivate: false },
      ]),
    );
    expect((error as EgressRefused).reason).toBe("redirect");
    expect(error.message).toMatch(/private/);
    expect(heardBy("b")).toHaveLength(0);
  });

  it("turns a POST into a GET without body on 302 and 303, and keeps it on 307", async () => {
    const post = { method: "POST" as const, body: "payload", headers: { "Content-Type": "text/plain" } };
    for (const status of [302, 303]) {
      heard.length = 0;
      const res = await send(`${a.origin}/redirect/${status}?to=/echo`, post);
      expect(JSON.parse(res.body)).toEqual({ method: "GET", body: "" });
      expect(heard[1]!.headers["content-type"]).toBeUndefined();
    }
    const kept = await send(`${a.origin}/redirect/307?to=/echo`, post);
    expect(JSON.parse(kept.body)).toEqual({ method: "POST", body: "payload" });
  });

  it("stops after maxRedirects, and with 0 returns the redirect itself", async () => {
    const loop = `${a.origin}/redirect/302?to=${encodeURIComponent(`${a.origin}/redirect/302?to=/redirect/302`)}`;
    const error = await failure(send(loop, { maxRedirects: 1 }));
    expect(error.message).toBe(`127.0.0.1:${a.port} redirected too many times (the limit is 1 redirect)`);
    expect(heardBy("a")).toHaveLength(2);
    const none = await send(`${a.origin}/redirect/302?to=/landing`, { maxRedirects: 0 });
    expect(none).toMatchObject({ status: 302, redirects: 0, url: `${a.origin}/redirect/302?to=/landing` });
    expect(none.headers.location).toBe("/landing");
  });
});

describe("destinations that want a person's approval for changes", () => {
  it("let no unapproved change through, not even by a redirect from a host that wants none; an approved one goes", async () => {
    const guarded = [
      { pattern: `127.0.0.1:${a.port}`, allowPrivate: true },
      { pattern: `127.0.0.1:${b.port}`, allowPrivate: true, requireApproval: true },
    ];
    const viaA = `${a.origin}/redirect/307?to=${encodeURIComponent(`${b.origin}/landing`)}`;
    const refused = await failure(send(viaA, { method: "DELETE" }, guarded));
    expect(refused).toBeInstanceOf(EgressRefused);
    expect(refused.message).toBe(
      `the redirect to 127.0.0.1:${b.port} was refused: a DELETE to 127.0.0.1:${b.port} needs a person's approval first`,
    );
    expect(heardBy("b")).toEqual([]);
    expect((await failure(send(`${b.origin}/landing`, { method: "PUT", body: "{}" }, guarded))).message).toMatch(
      /needs a person's approval first/,
    );
    // Reading needs no approval; an approved change goes through.
    expect((await send(viaA, {}, guarded)).body).toBe("landed");
    expect((await send(viaA, { method: "DELETE", approved: true }, guarded)).body).toBe("landed");
  });
});

describe("retries", () => {
  it("retries 503 with backoff until it succeeds", async () => {
    const res = await send(`${a.origin}/flaky-503`, { retries: 2 });
    expect(res).toMatchObject({ status: 200, body: "at last", attempts: 3 });
    expect(hits.get("a/flaky-503")).toBe(3);
  });

  it("returns the last 503 when the retries run out", async () => {
    const res = await send(`${a.origin}/always-503`, { retries: 1 });
    expect(res).toMatchObject({ status: 503, body: "down", attempts: 2 });
    expect(hits.get("a/always-503")).toBe(2);
  });

  it("honours Retry-After on 429", async () => {
    const started = Date.now();
    const res = await send(`${a.origin}/busy-429`, { retries: 1 });
    expect(res).toMatchObject({ status: 200, body: "ok now", attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(hits.get("a/busy-429")).toBe(2);
  });

  it("does not retry 400 or 500", async () => {
    for (const path of ["/status-400", "/status-500"]) {
      const res = await send(`${a.origin}${path}`, { retries: 3 });
      expect(res.attempts).toBe(1);
      expect(hits.get(`a${path}`)).toBe(1);
    }
  });

  it("retries a dropped connection", async () => {
    const res = await send(`${a.origin}/drops-once`, { retries: 1 });
    expect(res).toMatchObject({ status: 200, body: "reconnected", attempts: 2 });
    expect(hits.get("a/drops-once")).toBe(2);
  });

  it("fails on a refused connection once the retries run out, saying so", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(
      send(`http://127.0.0.1:${port}/`, { retries: 1 }, [{ pattern: `127.0.0.1:${port}`, allowPrivate: true }]),
    );
    expect(error.message).toMatch(new RegExp(`^the request to 127\\.0\\.0\\.1:${port} failed: .*ECONNREFUSED`));
  });
});

describe("limits", () => {
  it("fails a body over maxResponseBytes, naming the limit (declared length or streamed)", async () => {
    for (const path of ["/big", "/big-chunked"]) {
      const error = await failure(send(`${a.origin}${path}`, { maxResponseBytes: 1000 }));
      expect(error.message).toBe(
        `the response from 127.0.0.1:${a.port} is larger than the limit of 1,000 bytes (maxResponseBytes)`,
      );
    }
    const exact = await send(`${a.origin}/exactly-100`, { maxResponseBytes: 100 });
    expect(exact.bytes).toBe(100);
  });

  it("fails at timeoutMs when the server never answers, without naming the URL's query", async () => {
    const started = Date.now();
    const error = await failure(send(`${a.origin}/hang?token=s3cret`, { timeoutMs: 300 }));
    const took = Date.now() - started;
    expect(error.message).toBe(`the request to 127.0.0.1:${a.port} timed out after 0.3 s`);
    expect(error.message).not.toContain("s3cret");
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(2_000);
  });

  it("counts the whole response in the time limit: a body that never ends times out", async () => {
    const error = await failure(send(`${a.origin}/trickle`, { timeoutMs: 300 }));
    expect(error.message).toMatch(/timed out after 0\.3 s$/);
  });

  it("rejects promptly with the signal's reason when the caller aborts, in flight or while backing off", async () => {
    for (const [path, retries] of [
      ["/hang", 0],
      ["/busy-429-long", 1],
    ] as const) {
      const controller = new AbortController();
      const reason = new Error("cancelled by the test");
      setTimeout(() => controller.abort(reason), 100);
      const started = Date.now();
      const error = await failure(
        send(`${a.origin}${path}`, { timeoutMs: 20_000, retries, signal: controller.signal }),
      );
      expect(error).toBe(reason);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    const already = AbortSignal.abort(new Error("before"));
    expect((await failure(send(`${a.origin}/hello`, { signal: already }))).message).toBe("before");
  });
});
