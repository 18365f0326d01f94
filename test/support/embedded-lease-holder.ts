/**
 * The studio's one process on the embedded database, for the test that kills it while it holds
 * leases: `tsx --conditions=react-server test/support/embedded-lease-holder.ts '<json>'` with
 * FLOWDECK_DATA_DIR set. `hold`: sets up a team, models on the loopback server at `llm` and a
 * budget, makes three calls (leasing a slice of the budget) and a fourth that never ends, prints
 * what is reserved once the three's spend is written, and kills itself (SIGKILL). `call`: the next process on the same database: prints what is reserved when it
 * starts, makes one call, and prints what is reserved once it has written back.
 */
import { generateText } from "ai";
import { aliasInput } from "./alias-input";
import { allowLoopback } from "./loopback-destination";

const { mode, llm } = JSON.parse(process.argv[2]!) as { mode: "hold" | "call"; llm: string };

async function main() {
  const { db } = await import("../../lib/db/client");
  const { governedModel } = await import("../../lib/gateway/pipeline");
  const admin = await import("../../lib/gateway/admin");
  const { releaseLeases } = await import("../../lib/gateway/leases");
  const { seedWorkspace } = await import("./process-database");
  const prisma = await db();
  const reserved = async () => (await prisma.budgetUsage.findMany()).reduce((sum, row) => sum + row.reservedUsd, 0);

  if (mode === "hold") {
    const [ada] = await seedWorkspace(prisma, "acme", [
      { email: "ada@example.com", role: "ADMIN", installationOwner: true },
    ]);
    await prisma.gatewaySettings.create({ data: { workspaceId: ada.workspace.id, ownProviders: true } });
    await allowLoopback(ada); // the provider is on this machine: its admin allows the address
    const provider = await admin.saveProvider(ada, {
      name: "Loopback",
      kind: "OPENAI_COMPATIBLE",
      baseUrl: llm,
      apiKey: "sk-test",
    });
    // $1 per output token; "stuck" is a model that never answers.
    for (const [name, modelId] of [
      ["fast", "m-ok"],
      ["stuck", "m-hang"],
    ] as const)
      await admin.saveAlias(
        ada,
        aliasInput(name, [{ providerId: provider.id, modelId, timeoutSeconds: 600 }], { allowedRoles: ["ADMIN"] }),
      );
    await admin.saveLimits(ada, {
      userRpm: null,
      userTpm: null,
      workspaceRpm: null,
      workspaceTpm: null,
      workspaceBudgetUsd: 1_000,
      userBudgetUsd: null,
      budgetPeriod: "MONTH",
    });
  }
  const [membership] = await prisma.membership.findMany({ include: { user: true } });
  const caller = {
    workspaceId: membership!.workspaceId,
    userId: membership!.userId,
    role: "ADMIN" as const,
    source: "api" as const,
  };
  const before = await reserved();
  const calls = mode === "hold" ? 3 : 1;
  for (let i = 0; i < calls; i++)
    await generateText({ model: governedModel("fast", caller), prompt: "count", maxOutputTokens: 2, maxRetries: 0 });
  if (mode === "hold") {
    // A fourth call, under way when the process dies; what the three spent is written back as each ends.
    void generateText({ model: governedModel("stuck", caller), prompt: "wait", maxOutputTokens: 2, maxRetries: 0 });
    const spent = async () => (await prisma.budgetUsage.findMany())[0]?.spentUsd;
    while ((await spent()) !== 6) await new Promise((r) => setTimeout(r, 20));
    console.log(JSON.stringify({ reserved: await reserved() }));
    // Killed outright, before an idle slice would be given back (250 ms): as by kill -9 or a crash.
    process.kill(process.pid, "SIGKILL");
    return;
  }
  await releaseLeases();
  console.log(
    JSON.stringify({ before, after: await reserved(), spent: (await prisma.budgetUsage.findMany())[0]?.spentUsd }),
  );
  process.exit(0);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
