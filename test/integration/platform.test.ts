import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pointAtScratchDatabase } from "../support/process-database";

/**
 * The cross-process plumbing of lib/platform against a real database: a notification from
 * another connection (another process, as far as PostgreSQL knows) drops a cached value, and a
 * dropped LISTEN connection empties every cache once it is back, since changes may have been
 * missed meanwhile.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let platform: {
  channels: typeof import("../../lib/platform/channels");
  cache: typeof import("../../lib/platform/notified-cache");
};

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("platform");
  platform = {
    channels: await import("../../lib/platform/channels"),
    cache: await import("../../lib/platform/notified-cache"),
  };
});
afterAll(async () => {
  await scratch?.done();
});

/** NOTIFY from a connection of its own, as another process would. */
async function notifyFromElsewhere(channel: string, payload: string) {
  const { sql, close } = await scratch.scratch.session();
  try {
    await sql.query("SELECT pg_notify($1, $2)", [channel, payload]);
  } finally {
    await close();
  }
}

describe("notified cache", () => {
  it("reads once, then from memory; an invalidation drops the workspace it names, here and elsewhere", async () => {
    const loads: string[] = [];
    let version = 1;
    const cache = platform.cache.notifiedCache({
      name: "test-gateway",
      channel: "gateway",
      ttlMs: 60_000,
      load: async (ws) => (loads.push(ws), `${ws}@${version}`),
    });
    expect(await cache.get("w1")).toBe("w1@1");
    expect(await cache.get("w1")).toBe("w1@1");
    expect(await cache.get("w2")).toBe("w2@1");
    expect(loads).toEqual(["w1", "w2"]);

    version = 2;
    await cache.invalidate("w1");
    expect(await cache.get("w1")).toBe("w1@2");
    expect(await cache.get("w2")).toBe("w2@1");

    if (scratch.scratch.kind !== "postgres") return; // one process on the embedded database
    version = 3;
    await notifyFromElsewhere(platform.channels.CHANNELS.gateway, "w2");
    await expect.poll(() => cache.get("w2"), { timeout: 5_000 }).toBe("w2@3");
  });

  it("empties itself when the LISTEN connection comes back after a drop (PostgreSQL)", async () => {
    if (scratch.scratch.kind !== "postgres") return;
    let version = 1;
    const cache = platform.cache.notifiedCache({
      name: "test-tools",
      channel: "tools",
      ttlMs: 60_000,
      load: async (ws) => `${ws}@${version}`,
    });
    expect(await cache.get("w1")).toBe("w1@1");
    const reconnected = new Promise<void>((resolve) => void platform.channels.onReconnect(resolve));
    const { sql, close } = await scratch.scratch.session();
    await sql.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'flowdeck-listen' AND datname = current_database()`,
    );
    // A change made while nobody listens: its notification is lost.
    version = 2;
    await close();
    await reconnected;
    expect(await cache.get("w1")).toBe("w1@2");
  });
});

describe("channels", () => {
  it("delivers a publication to every subscriber of the channel, in order, and to nobody after unsubscribing", async () => {
    const heard: string[] = [];
    const off = await platform.channels.subscribe("reviews", (p) => heard.push(`a:${p}`));
    const offB = await platform.channels.subscribe("reviews", (p) => heard.push(`b:${p}`));
    for (const p of ["1", "2", "3"]) void platform.channels.publish("reviews", p);
    await expect.poll(() => heard.length, { timeout: 5_000 }).toBe(6);
    expect(heard.filter((h) => h.startsWith("a:"))).toEqual(["a:1", "a:2", "a:3"]);
    off();
    offB();
    await platform.channels.publish("reviews", "4");
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toHaveLength(6);
  });
});
