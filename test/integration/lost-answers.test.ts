import { afterAll, beforeAll, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";
import { startLostAnswerProxy, type LostAnswerProxy } from "../support/lost-answer-proxy";

/**
 * Rows written off the hot path (the usage ledger, the guardrail trail, the tool audit) are
 * written again when a batch's write fails. When the commit went through and only its answer was
 * lost with the connection, the batch written again must not count anything twice. Seen in CI: a
 * ledger of 61 rows for 60 model calls after five storms of dropped connections.
 * On PostgreSQL only: the embedded database is in the process, with no connection to lose.
 */
const postgres = !!process.env.DATABASE_URL;
let proxy: LostAnswerProxy;
let done: () => Promise<void>;

beforeAll(async () => {
  if (!postgres) return;
  const scratch = await pointAtScratchDatabase("lostanswer");
  proxy = await startLostAnswerProxy(scratch.scratch.url!);
  process.env.DATABASE_URL = proxy.url;
  done = async () => {
    await proxy.close();
    await scratch.done();
  };
});
afterAll(async () => done?.());

it.runIf(postgres)(
  "a batch whose commit went through but whose answer was lost is written again without counting anything twice",
  { timeout: 30_000 },
  async () => {
    const { db } = await import("../../lib/db/client");
    const { flushLedger, recordUsage } = await import("../../lib/gateway/ledger");
    const { flushViolations, recordFindings } = await import("../../lib/gateway/violations");
    const { auditToolCall, flushToolAudit } = await import("../../lib/mcp/tools");
    const prisma = await db();
    const [viewer] = await seedWorkspace(prisma, "lost", [{ email: "lost@example.com", role: "ADMIN" }]);
    const workspaceId = viewer.workspace.id;

    for (let i = 0; i < 3; i += 1)
      recordUsage({
        workspaceId,
        userId: viewer.user.id,
        apiKeyId: null,
        runId: null,
        nodeId: null,
        workflowId: null,
        alias: "counted",
        deploymentId: null,
        providerKind: null,
        modelId: null,
        inputTokens: 10,
        outputTokens: 5,
        costUsd: 0.5,
        latencyMs: 3,
        ttftMs: null,
        status: "ok",
        error: null,
        cacheHit: false,
        source: "api",
        at: new Date(),
      });
    proxy.loseNextAnswer("flowdeck_usage_batch");
    await flushLedger(); // committed; the answer lost; the batch kept to be written again
    expect(proxy.lost()).toBe(1);
    recordFindings({ workspaceId, userId: viewer.user.id, role: "ADMIN", source: "api" }, "counted", [
      { policyId: "policy", policyName: "p", kind: "pii-prompt", action: "redacted", detail: "1 email" },
    ]);
    proxy.loseNextAnswer("flowdeck_guardrail_violations");
    await flushViolations();
    expect(proxy.lost()).toBe(2);
    const caller = { workspaceId, userId: viewer.user.id, role: "ADMIN" as const, source: "api" as const };
    // Its error cut in the middle of an emoji (half a surrogate pair) is stored all the same.
    const error = `${"x".repeat(1_999)}😀 and more`;
    await auditToolCall(prisma, { caller, serverName: "files", toolName: "read", args: {}, outcome: "error", error });
    proxy.loseNextAnswer("flowdeck_tool_audit");
    await flushToolAudit();
    expect(proxy.lost()).toBe(3);

    await expect
      .poll(
        async () => {
          await flushLedger();
          await flushViolations();
          await flushToolAudit();
          const [usage] = await prisma.$queryRawUnsafe<{ rows: number; calls: number; cost: number }[]>(
            `SELECT (SELECT count(*)::int FROM "UsageRecord") AS rows,
               (SELECT sum("calls")::int FROM "UsageDaily") AS calls,
               (SELECT sum("costUsd")::float8 FROM "UsageDaily") AS cost`,
          );
          const violations = await prisma.guardrailViolation.count();
          const audited = await prisma.toolCallAudit.count();
          return { ...usage, violations, audited };
        },
        { timeout: 20_000, interval: 300 },
      )
      .toEqual({ rows: 3, calls: 3, cost: 1.5, violations: 1, audited: 1 });
  },
);
