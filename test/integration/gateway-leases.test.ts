import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { gatewayWorld } from "../support/gateway-world";

/**
 * Leased allowances (lib/gateway/leases.ts), on either database: a process admits calls from slices
 * of its limits and caps it leased, so a call does not wait for the database; what it used is
 * written back, what it did not use is given back, and processes together never pass a cap.
 */
const world = gatewayWorld("gatewayleases");
const { alias } = world;

const HIGH = {
  userRpm: 1_000_000,
  userTpm: 100_000_000,
  workspaceRpm: 1_000_000,
  workspaceTpm: 100_000_000,
  workspaceBudgetUsd: 1_000_000,
  userBudgetUsd: 1_000_000,
  budgetPeriod: "DAY" as const,
};

/** Runs test/support/lease-caller.ts in a process of its own; resolves to its tally. */
function callerProcess(args: Record<string, unknown>): Promise<{ answered: number; refused: number; other: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "node_modules/.bin/tsx",
      ["--conditions=react-server", "test/support/lease-caller.ts", JSON.stringify(args)],
      { env: process.env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.once("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split("\n").at(-1)!))
        : reject(new Error(`exit ${code}: ${err}${out}`)),
    );
  });
}

describe("leased limits and budgets, on either database", () => {
  it("200 calls one after another wait for the database a few times, not 200; every count and cost is written back", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    world.llm.behave("m-ok", { kind: "answer", text: "one two", usage: { prompt: 3, completion: 2 } });
    await world.mod.admin.saveLimits(world.admin, HIGH);
    const before = world.mod.leases.leaseStats();
    let used = 0;
    for (let i = 0; i < 200; i++) {
      const answer = await world.ask("fast", world.builder, { maxOutputTokens: 5 });
      used += (answer.usage.inputTokens ?? 0) + (answer.usage.outputTokens ?? 0);
    }
    const waited = world.mod.leases.leaseStats().grantsOnCall - before.grantsOnCall;
    expect(waited).toBeGreaterThan(0);
    expect(waited).toBeLessThanOrEqual(8);
    const prisma = await world.mod.db.db();
    const me = `${world.builder.workspace.id}:${world.builder.user.id}`;
    const points = async (key: string) => (await prisma.gatewayRateLimit.findUnique({ where: { key } }))?.points;
    const budget = async (key: string) => {
      const row = await prisma.budgetUsage.findFirst({ where: { key } });
      return { spent: row?.spentUsd, reserved: row?.reservedUsd };
    };
    // While leased, more is counted than used; once idle, exactly what was used.
    await expect.poll(() => points(`gw-user-rpm:${me}`), { timeout: 5_000 }).toBe(200);
    await expect.poll(() => points(`gw-user-tpm:${me}`), { timeout: 5_000 }).toBe(used);
    await expect.poll(() => points(`gw-ws-rpm:${world.builder.workspace.id}`), { timeout: 5_000 }).toBe(200);
    await expect.poll(() => budget(`user:${me}`), { timeout: 5_000 }).toEqual({ spent: 400, reserved: 0 });
    await expect
      .poll(() => budget(`ws:${world.builder.workspace.id}`), { timeout: 5_000 })
      .toEqual({
        spent: 400,
        reserved: 0,
      });
  });

  it("a call short of its lease takes what the lease still holds and asks only the rest: not refused below the limit", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    world.llm.behave("m-ok", { kind: "answer", text: "ok", usage: { prompt: 1, completion: 1 } });
    await world.mod.admin.saveLimits(world.admin, {
      ...HIGH,
      userTpm: 1000,
      workspaceTpm: null,
      userBudgetUsd: null,
      workspaceBudgetUsd: null,
    });
    // The first call leases 62 tokens (a sixteenth of 1,000) and uses 2: 60 stay with this process.
    await world.ask("fast", world.builder, { maxOutputTokens: 10 });
    // The next may use up to about 980: more than the 938 not counted, less than that and the 60 held.
    const answer = await world.ask("fast", world.builder, { maxOutputTokens: 960 });
    expect(answer.text).toBe("ok");
  });

  it("a call refused at a budget while the last call's spend is still being written back says what is spent", async () => {
    // $1 a call (one output token at $1), under a budget of $1.50: the second call is refused.
    await alias("fast", [{ modelId: "m-ok" }], { maxOutputTokens: 1 });
    world.llm.behave("m-ok", { kind: "answer", text: "word", usage: { prompt: 1, completion: 1 } });
    await world.mod.admin.saveLimits(world.admin, {
      ...HIGH,
      userBudgetUsd: 1.5,
      workspaceBudgetUsd: null,
    });
    // A slow database: the write-back of the first call's spend takes 300 ms to reach it.
    const { sql } = await world.mod.db.database();
    const query = sql.query.bind(sql);
    let started!: () => void;
    const writingBack = new Promise<void>((resolve) => (started = resolve));
    sql.query = (async (text: string, params?: unknown[], name?: string) => {
      if (name === "flowdeck_lease_flush") {
        started();
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return query(text, params, name);
    }) as typeof sql.query;
    try {
      await world.ask("fast");
      await writingBack;
      // Refused while that write-back is on its way: it names the dollar already spent.
      await expect(world.ask("fast")).rejects.toThrow(/\$1\.50 per day, \$1\.00 is spent/);
    } finally {
      sql.query = query;
    }
    expect(world.llm.calls("m-ok")).toBe(1);
  });

  it("a limit lowered while a lease is held takes effect on the next call", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    await world.mod.admin.saveLimits(world.admin, HIGH);
    await world.ask("fast"); // leases a slice of every limit
    await world.mod.admin.saveLimits(world.admin, { ...HIGH, userRpm: 2 });
    await world.ask("fast");
    await expect(world.ask("fast")).rejects.toThrow(/Rate limit reached: your requests per minute \(2 per minute\)/);
  });
});

describe.runIf(!process.env.DATABASE_URL)("leased budgets on the embedded database", () => {
  /** The studio's one process on a database of its own (test/support/embedded-lease-holder.ts). */
  function holder(dataDir: string, mode: "hold" | "call") {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=react-server",
        "test/support/embedded-lease-holder.ts",
        JSON.stringify({ mode, llm: world.llm.baseUrl }),
      ],
      {
        env: { ...process.env, FLOWDECK_DATA_DIR: dataDir, LOG_LEVEL: "silent" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const said = new Promise<Record<string, number>>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d) => {
        out += d;
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve(JSON.parse(line));
      });
      child.once("close", (code, signal) => reject(new Error(`exit ${code ?? signal}: ${err}${out}`)));
    });
    return { child, said };
  }

  it("a studio killed while it holds a slice of a budget: the next one gives the slice back before its first call", async () => {
    world.llm.behave("m-ok", { kind: "answer", text: "a b", usage: { prompt: 1, completion: 2 } });
    world.llm.behave("m-hang", { kind: "hang" });
    const dataDir = mkdtempSync(path.join(tmpdir(), "flowdeck-leases-"));
    const first = holder(dataDir, "hold");
    try {
      // Three calls of $2 each, written back; a fourth's $2 (and, unless idle by then, the
      // rest of the budget's slice) still reserved when it is killed.
      const gone = new Promise<NodeJS.Signals | null>((r) => first.child.once("exit", (_, signal) => r(signal)));
      const { reserved } = await first.said;
      expect(await gone).toBe("SIGKILL");
      expect(reserved).toBeGreaterThanOrEqual(2);
      const next = await holder(dataDir, "call").said;
      expect(next.before).toBeCloseTo(reserved!, 9);
      expect(next).toMatchObject({ after: 0, spent: 8 });
    } finally {
      first.child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.runIf(process.env.DATABASE_URL)("leased limits and budgets, processes together on PostgreSQL", () => {
  it("two processes calling against one cap as fast as they can: never more than the cap covers, and about as much", async () => {
    await alias("fast", [{ modelId: "m-ok" }], { allowedRoles: ["ADMIN"] });
    // Every call costs exactly what it reserves: 2 output tokens at $1 each.
    world.llm.behave("m-ok", { kind: "answer", text: "a b c d e f", honourMaxTokens: true });
    await world.mod.admin.saveLimits(world.admin, { ...HIGH, userBudgetUsd: null, workspaceBudgetUsd: 600 });
    const args = { caller: world.caller(world.admin), alias: "fast", loops: 6, maxOutputTokens: 2 };
    const before = world.llm.calls();
    const [a, b] = await Promise.all([callerProcess(args), callerProcess(args)]);
    expect([...a.other, ...b.other]).toEqual([]);
    // Never more than the cap covers. A loop stops at its first refusal, and a call may be refused
    // while the other process holds the last slice for a moment: so about as many, not exactly.
    const answered = a.answered + b.answered;
    expect(answered).toBeLessThanOrEqual(300);
    expect(answered).toBeGreaterThanOrEqual(285);
    expect(world.llm.calls() - before).toBe(answered);
    const row = await (await world.mod.db.db()).budgetUsage.findFirst({ where: { key: { startsWith: "ws:" } } });
    expect(row!.spentUsd).toBeCloseTo(answered * 2, 9);
    expect(row!.reservedUsd).toBeCloseTo(0, 9);
  });

  it("a write-back whose connection is cut mid-statement is written again: no spend lost, nothing left reserved", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    world.llm.behave("m-ok", { kind: "answer", text: "a b c d", honourMaxTokens: true });
    await world.mod.admin.saveLimits(world.admin, HIGH);
    for (let i = 0; i < 10; i++) await world.ask("fast", world.builder, { maxOutputTokens: 2 });
    // Another session holds the workspace's budget row: the write-back waits for it, and its
    // connection is cut while it waits.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(`SELECT * FROM "BudgetUsage" WHERE "key" LIKE 'ws:%' FOR UPDATE`);
      const released = world.mod.leases.releaseLeases();
      // The write-back's session, waiting for that row (nothing else of this process is running).
      const waiting = `FROM pg_stat_activity WHERE "application_name" = 'flowdeck' AND "wait_event_type" = 'Lock' AND "datname" = current_database()`;
      await expect
        .poll(async () => Number((await other.query(`SELECT count(*) AS n ${waiting}`)).rows[0].n), { timeout: 5_000 })
        .toBe(1);
      await other.query(`SELECT pg_terminate_backend("pid") ${waiting}`);
      await other.query("ROLLBACK");
      await released;
    } finally {
      await other.end();
    }
    const row = await (await world.mod.db.db()).budgetUsage.findFirst({ where: { key: { startsWith: "ws:" } } });
    expect(row!.spentUsd).toBeCloseTo(20, 9);
    expect(row!.reservedUsd).toBeCloseTo(0, 9);
  });
});
