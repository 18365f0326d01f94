import { generateText, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { gatewayWorld } from "../support/gateway-world";

/**
 * The gateway's rate limits and budgets against a real OpenAI-compatible server on loopback and a
 * real database: refusals before the provider, concurrent calls against a cap, limits and budget
 * checked together (one statement on PostgreSQL), token corrections.
 */
const world = gatewayWorld("gatewaylimits");
const { alias, ask, caller, ledgerRows } = world;

describe("gateway limits and budgets", () => {
  it("refuses a call over budget before it reaches the provider, saying which budget", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    await world.mod.admin.saveLimits(world.admin, {
      userRpm: null,
      userTpm: null,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: null,
      userBudgetUsd: 5,
      budgetPeriod: "DAY",
    });
    await expect(ask("fast", world.builder, { maxOutputTokens: 10 })).rejects.toThrow(
      /Budget reached: your budget is \$5\.00 per day/,
    );
    expect(world.llm.calls()).toBe(0);
    const [row] = (await ledgerRows()).slice(-1);
    expect(row).toMatchObject({ status: "refused" });
  });

  it("20 concurrent calls against a cap that allows 10: exactly 10 go out, and spend never passes the cap", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    world.llm.behave("m-ok", { kind: "answer", text: "x", delayMs: 50, usage: { prompt: 5, completion: 2 } });
    // Each call may cost up to 2 output tokens = $2; the workspace cap of $20 allows 10.
    await world.mod.admin.saveLimits(world.admin, {
      userRpm: null,
      userTpm: null,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: 20,
      userBudgetUsd: null,
      budgetPeriod: "MONTH",
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => ask("fast", world.builder, { maxOutputTokens: 2 })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    expect(
      results
        .filter((r) => r.status === "rejected")
        .every((r) => /Budget reached/.test(String((r as PromiseRejectedResult).reason))),
    ).toBe(true);
    expect(world.llm.calls("m-ok")).toBe(10);
    await new Promise((r) => setTimeout(r, 100)); // settlements are written off the hot path
    const limits = await world.mod.admin.getLimits(world.admin);
    expect(limits.spent.workspaceUsd).toBe(20);
  });

  it("20 concurrent streams with no limit of their own, to a provider that ignores the model's: spend stays within the cap", async () => {
    // $1 per output token and an output limit of 5: each call reserves $5; a cap of $25 admits 5.
    await alias("capped", [{ modelId: "m-long" }], { maxOutputTokens: 5 });
    world.llm.behave("m-long", { kind: "answer", text: "word ".repeat(40).trim(), chunkDelayMs: 5 });
    await world.mod.admin.saveLimits(world.admin, {
      userRpm: null,
      userTpm: null,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: 25,
      userBudgetUsd: null,
      budgetPeriod: "MONTH",
    });
    await world.mod.ledger.flushLedger();
    await (await world.mod.db.db()).usageRecord.deleteMany(); // this test reads the ledger alone
    await Promise.allSettled(
      Array.from({ length: 20 }, async () => {
        const r = streamText({
          model: world.mod.gateway.governedModel("capped", caller(world.builder)),
          prompt: "go",
          maxRetries: 0,
          onError: () => {},
        });
        return r.text;
      }),
    );
    const rows = (await ledgerRows()).filter((r) => r.alias === "capped");
    // At least the 5 the cap covers went out (more only if answers cost less than reserved).
    expect(rows.filter((r) => r.status === "ok").length).toBeGreaterThanOrEqual(5);
    expect(rows.filter((r) => r.status === "refused").length).toBeGreaterThan(0);
    expect(rows.reduce((sum, r) => sum + r.costUsd, 0)).toBeLessThanOrEqual(25);
    await new Promise((r) => setTimeout(r, 200)); // settlements are written off the hot path
    expect((await world.mod.admin.getLimits(world.admin)).spent.workspaceUsd).toBeLessThanOrEqual(25);
  });

  it("limits requests per minute per person, with the seconds to wait", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    await world.mod.admin.saveLimits(world.admin, {
      userRpm: 2,
      userTpm: null,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: null,
      userBudgetUsd: null,
      budgetPeriod: "MONTH",
    });
    await ask("fast");
    await ask("fast");
    const error = await ask("fast").catch((e) => e);
    expect(String(error.message)).toMatch(
      /Rate limit reached: your requests per minute \(2 per minute\)\. Try again in \d+ s/,
    );
    expect(world.llm.calls()).toBe(2);
    expect((await ask("fast", world.admin)).text).toMatch(/Echo/); // another person has their own count
  });

  it("checks limits and budget together: a call past a limit reserves nothing, and calls let through are charged", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    await world.mod.admin.saveLimits(world.admin, {
      userRpm: 2,
      userTpm: 1_000_000,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: null,
      userBudgetUsd: 1000,
      budgetPeriod: "DAY",
    });
    const answers = [
      await ask("fast", world.builder, { maxOutputTokens: 50 }),
      await ask("fast", world.builder, { maxOutputTokens: 50 }),
    ];
    await expect(ask("fast", world.builder, { maxOutputTokens: 50 })).rejects.toThrow(
      /Rate limit reached: your requests/,
    );
    const cost = answers.reduce((sum, a) => sum + (a.usage.outputTokens ?? 0), 0); // $1 per output token
    const budget = async () =>
      (await (await world.mod.db.db()).budgetUsage.findMany({ where: { key: { startsWith: "user:" } } })).map((b) => ({
        spent: b.spentUsd,
        reserved: b.reservedUsd,
      }));
    await expect.poll(budget).toEqual([{ spent: cost, reserved: 0 }]);
    expect(world.llm.calls()).toBe(2);
    // The tokens per minute were counted with each call's estimate, then corrected to what it used.
    const used = answers.reduce((sum, a) => sum + (a.usage.inputTokens ?? 0) + (a.usage.outputTokens ?? 0), 0);
    const prisma = await world.mod.db.db();
    const key = `gw-user-tpm:${world.builder.workspace.id}:${world.builder.user.id}`;
    const counted = async () => (await prisma.gatewayRateLimit.findUnique({ where: { key } }))?.points;
    await expect.poll(counted).toBe(used);
  });

  it("20 concurrent calls of two people with limits and budgets on: every one answered, nothing left reserved", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    await world.mod.admin.saveLimits(world.admin, {
      userRpm: 1000,
      userTpm: 1_000_000,
      workspaceRpm: 1000,
      workspaceTpm: 1_000_000,
      workspaceBudgetUsd: 100_000,
      userBudgetUsd: 100_000,
      budgetPeriod: "DAY",
    });
    // Each settles in the background while the next ones are admitted: the same rows, both ways.
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => ask("fast", i % 2 ? world.admin : world.builder, { maxOutputTokens: 20 })),
      );
      expect(answers.every((a) => /Echo/.test(a.text))).toBe(true);
    }
    const reserved = async () =>
      (await (await world.mod.db.db()).budgetUsage.findMany()).reduce((sum, b) => sum + b.reservedUsd, 0);
    await expect.poll(reserved).toBeLessThan(1e-6);
  });

  it("a run's cost cap: calls of the run (a loop's or sub-workflow's included) stop before one could pass it; another run has its own", async () => {
    await alias("fast", [{ modelId: "m-ok" }]);
    world.llm.behave("m-ok", { kind: "answer", text: "a b c d", honourMaxTokens: true });
    const prisma = await world.mod.db.db();
    const wf = await prisma.workflow.create({
      data: {
        workspaceId: world.builder.workspace.id,
        name: "Capped",
        graph: { nodes: [], edges: [] },
        maxRunCostUsd: 5,
      },
    });
    await (await import("../../lib/gateway/config")).gatewayChanged(world.builder.workspace.id);
    const inRun = (runId: string, root?: string) =>
      generateText({
        model: world.mod.gateway.governedModel("fast", {
          ...caller(world.builder),
          runId,
          workflowId: wf.id,
          ...(root && { rootRun: async () => ({ runId: root, workflowId: wf.id }) }),
        }),
        prompt: "hi",
        maxOutputTokens: 2, // $2 a call at most
        maxRetries: 0,
      });
    await inRun("run-a");
    await inRun("run-a-loop-body", "run-a");
    const calls = world.llm.calls();
    await expect(inRun("run-a")).rejects.toThrow(/Cost cap reached: this run may spend \$5\.00 on models/);
    await expect(inRun("run-a-sub-workflow", "run-a")).rejects.toThrow(/Cost cap reached/);
    expect(world.llm.calls()).toBe(calls);
    expect((await inRun("run-b")).text).toBe("a b");
  });
});
