import { generateText } from "ai";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startFakeLlmServer, type FakeLlmServer } from "./fake-llm-server";
import { seedWorkspace, pointAtScratchDatabase } from "./process-database";
import type { Viewer } from "../../lib/auth/session";
import type { AliasInput } from "../../lib/schemas/gateway";
import { aliasInput } from "./alias-input";
import { allowLoopback } from "./loopback-destination";

/**
 * The world of the gateway's integration tests: a scratch database with a workspace of an admin
 * (an installation owner) and a builder, allowed its own providers, a real OpenAI-compatible server on loopback (with faults on demand) connected
 * as the provider "Loopback", and every model, limit and budget cleared before each test.
 * Registers its own hooks; call it once at the top of a test file.
 */
export function gatewayWorld(name: string) {
  let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
  const world = {
    llm: undefined as unknown as FakeLlmServer,
    admin: undefined as unknown as Viewer,
    builder: undefined as unknown as Viewer,
    providerId: "",
    mod: undefined as unknown as {
      gateway: typeof import("../../lib/gateway/pipeline");
      admin: typeof import("../../lib/gateway/admin");
      ledger: typeof import("../../lib/gateway/ledger");
      db: typeof import("../../lib/db/client");
      leases: typeof import("../../lib/gateway/leases");
    },
    /** Defines (or redefines) an alias on the loopback provider: $1 per output token, costs easy to read. */
    async alias(
      alias: string,
      deployments: { modelId: string; weight?: number; timeoutSeconds?: number }[],
      extra: Partial<AliasInput> = {},
    ) {
      await world.mod.admin.saveAlias(
        world.admin,
        aliasInput(
          alias,
          deployments.map((d) => ({ ...d, providerId: world.providerId })),
          extra,
        ),
      );
    },
    caller: (viewer: Viewer) => ({
      workspaceId: viewer.workspace.id,
      userId: viewer.user.id,
      role: viewer.role,
      source: "api" as const,
    }),
    /** A governed call of `alias` as `viewer` (the builder by default). */
    ask: (alias: string, viewer?: Viewer, extra: Record<string, unknown> = {}) =>
      generateText({
        model: world.mod.gateway.governedModel(alias, world.caller(viewer ?? world.builder)),
        prompt: "hello there",
        maxRetries: 0,
        ...extra,
      }),
    async ledgerRows() {
      await world.mod.ledger.flushLedger();
      return (await world.mod.db.db()).usageRecord.findMany({ orderBy: { at: "asc" } });
    },
  };

  beforeAll(async () => {
    scratch = await pointAtScratchDatabase(name, { FLOWDECK_GATEWAY_COOLDOWN_SECONDS: "1" });
    world.mod = {
      gateway: await import("../../lib/gateway/pipeline"),
      admin: await import("../../lib/gateway/admin"),
      ledger: await import("../../lib/gateway/ledger"),
      db: await import("../../lib/db/client"),
      leases: await import("../../lib/gateway/leases"),
    };
    [world.admin, world.builder] = await seedWorkspace(await world.mod.db.db(), "acme", [
      { email: "ada@example.com", role: "ADMIN" },
      { email: "bob@example.com", role: "BUILDER" },
    ]);
    // Ada sets the team's own limits too: she is an installation owner.
    await (
      await world.mod.db.db()
    ).user.update({ where: { id: world.admin.user.id }, data: { installationOwner: true } });
    // The team's own provider "Loopback" is on this machine: its admin allows the address.
    await allowLoopback(world.admin);
    world.llm = await startFakeLlmServer();
  });

  afterAll(async () => {
    await world.llm?.close();
    await scratch?.done();
  });

  beforeEach(async () => {
    world.llm.reset();
    // What this process leased is given back before the rows it was counted in go.
    await world.mod.leases.releaseLeases();
    const prisma = await world.mod.db.db();
    await prisma.modelDeployment.deleteMany();
    await prisma.modelAlias.deleteMany();
    await prisma.modelProvider.deleteMany();
    await prisma.gatewaySettings.deleteMany();
    // The pipeline's tests define the workspace's own models: the organization lets it bring its own keys.
    await prisma.gatewaySettings.create({ data: { workspaceId: world.admin.workspace.id, ownProviders: true } });
    await prisma.budgetUsage.deleteMany();
    await prisma.rateLimiterFlexible.deleteMany();
    await prisma.gatewayRateLimit.deleteMany();
    world.providerId = (
      await world.mod.admin.saveProvider(world.admin, {
        name: "Loopback",
        kind: "OPENAI_COMPATIBLE",
        baseUrl: world.llm.baseUrl,
        apiKey: "sk-test-secret-1234",
      })
    ).id;
  });

  return world;
}
