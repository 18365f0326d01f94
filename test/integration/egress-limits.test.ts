import { describe, expect, it } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { a, failure, hits, send, startEgressServers } from "../support/egress-servers";

/**
 * The HTTP egress door (lib/egress) against real HTTP servers on loopback
 * (test/support/egress-servers.ts): its retries, and its limits on size, time and the caller's
 * signal. No database.
 */
startEgressServers();
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
    expect(error.message).toMatch(
      new RegExp(
        `^the request to 127\\.0\\.0\\.1:${port} failed: nothing is listening at that address \\(ECONNREFUSED\\)$`,
      ),
    );
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
