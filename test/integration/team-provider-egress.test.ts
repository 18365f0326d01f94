import { generateText } from "ai";
import { beforeAll, expect, it } from "vitest";
import { gatewayWorld } from "../support/gateway-world";
import { allowLoopback } from "../support/loopback-destination";
import { seedWorkspace } from "../support/process-database";

/**
 * A team's own model provider (bring your own key) reaches a private, loopback or link-local
 * address only when one of the team's HTTP destinations allows it: through Test connection, the
 * OpenAI-compatible door and an agent's call alike, with nothing sent before.
 */
const world = gatewayWorld("teamegress");
let compat: typeof import("../../lib/gateway/openai-compat");
let routing: typeof import("../../lib/gateway/routing");
beforeAll(async () => {
  compat = await import("../../lib/gateway/openai-compat");
  routing = await import("../../lib/gateway/routing");
});

it("lets a team's own provider reach this machine or a private address only when its HTTP destinations allow it", async () => {
  world.llm.behave("up", { kind: "answer", text: "Hello from the backup." });
  // Another team, allowed its own providers, with no HTTP destinations: its admin points one at this host.
  const prisma = await world.mod.db.db();
  const [bea] = await seedWorkspace(prisma, "byok", [{ email: "bea@example.com", role: "ADMIN" }]);
  await prisma.gatewaySettings.create({ data: { workspaceId: bea!.workspace.id, ownProviders: true } });
  const provider = async (name: string, baseUrl: string) =>
    (await world.mod.admin.saveProvider(bea!, { name, kind: "OPENAI_COMPATIBLE", baseUrl, apiKey: "sk-bea" })).id;
  const here = await provider("Here", world.llm.baseUrl);
  const named = await provider("Named", world.llm.baseUrl.replace("127.0.0.1", "localhost"));
  const metadata = await provider("Metadata", "http://169.254.169.254/latest");
  const nowhere = await provider("Nowhere", world.llm.baseUrl.replace("127.0.0.1", "nothing-here.invalid"));
  /** An alias on these providers, tried in the order given (the first weighted, the rest fallbacks). */
  const alias = (name: string, providerIds: string[]) =>
    world.mod.admin.saveAlias(bea!, {
      name,
      description: "",
      inputPricePerMTok: 0,
      outputPricePerMTok: 0,
      contextWindow: 128_000,
      maxOutputTokens: 100,
      supportsTools: true,
      supportsStructured: true,
      allowedRoles: ["ADMIN"],
      allowedUserIds: [],
      cacheTtlSeconds: 0,
      deployments: providerIds.map((providerId, i) => ({
        providerId,
        modelId: "up",
        weight: i === 0 ? 1 : 0,
        rpmLimit: null,
        tpmLimit: null,
        timeoutSeconds: 30,
      })),
    });
  await alias("mine", [here]);
  const calls = world.llm.calls();
  const refusal =
    /127\.0\.0\.1 is a private, loopback or link-local address: requests go there only when one of this workspace's HTTP destinations names 127\.0\.0\.1 and allows private addresses/;

  // Test connection, the door and an agent's call are all refused, before anything is sent.
  expect((await world.mod.admin.testProvider(bea!, here)).message).toMatch(refusal);
  // A name's refusal does not say what it resolves to, nor whether it resolves at all: a name
  // that does not exist is refused in the same words (a team could map the host's network by name).
  const namedRefusal = (await world.mod.admin.testProvider(bea!, named)).message;
  expect(namedRefusal).toMatch(/localhost has no public address/);
  expect(namedRefusal).not.toMatch(/127\.0\.0\.1|::1/);
  expect((await world.mod.admin.testProvider(bea!, nowhere)).message).toBe(
    namedRefusal.replaceAll("localhost", "nothing-here.invalid"),
  );
  expect((await world.mod.admin.testProvider(bea!, metadata)).message).toMatch(/169\.254\.169\.254 is a private/);
  const door = () =>
    compat.chatCompletion(
      bea!,
      compat.chatCompletionSchema.parse({ model: "mine", messages: [{ role: "user", content: "hi" }] }),
      new AbortController().signal,
    );
  const refused = await door();
  expect(refused.status).toBe(502);
  expect((await refused.json()).error.message).toMatch(refusal);
  const caller = {
    workspaceId: bea!.workspace.id,
    userId: bea!.user.id,
    role: "ADMIN" as const,
    source: "api" as const,
  };
  const agent = () =>
    generateText({ model: world.mod.gateway.governedModel("mine", caller), prompt: "hi", maxRetries: 0 });
  await expect(agent()).rejects.toThrow(refusal);
  expect(world.llm.calls()).toBe(calls);

  // Its admin allows the address (an HTTP destination for 127.0.0.1 that allows private addresses).
  await allowLoopback(bea!);
  expect((await world.mod.admin.testProvider(bea!, here)).ok).toBe(true);
  const answered = await door();
  expect(answered.status).toBe(200);
  expect((await answered.json()).choices[0].message.content).toBe("Hello from the backup.");
  expect((await agent()).text).toBe("Hello from the backup.");
  // The rule names 127.0.0.1: a name that resolves there, and the metadata address, stay refused.
  expect((await world.mod.admin.testProvider(bea!, named)).message).toMatch(/localhost has no public address/);
  expect((await world.mod.admin.testProvider(bea!, metadata)).message).toMatch(/169\.254\.169\.254 is a private/);
  // A refused address is no provider failure: the deployment is not cooled down, and works at once when allowed.
  expect(world.llm.calls()).toBe(calls + 2);

  // A deployment refused for its address hands the call on to the next one, as a provider that is
  // down does, alike whether its name resolves privately or not at all (nothing tells them apart).
  for (const first of [named, nowhere]) {
    await alias(`mixed-${first}`, [first, here]);
    const mixed = await compat.chatCompletion(
      bea!,
      compat.chatCompletionSchema.parse({ model: `mixed-${first}`, messages: [{ role: "user", content: "hi" }] }),
      new AbortController().signal,
    );
    expect(mixed.status, String(first)).toBe(200);
    expect((await mixed.json()).choices[0].message.content).toBe("Hello from the backup.");
  }
  // Refused on every call, it is still never cooled down (three provider failures in a row would).
  const deployments = await prisma.modelDeployment.findMany({ where: { providerId: { in: [named, nowhere] } } });
  expect(deployments.length).toBeGreaterThan(0);
  for (let i = 0; i < 3; i++)
    for (const first of [named, nowhere])
      await compat.chatCompletion(
        bea!,
        compat.chatCompletionSchema.parse({ model: `mixed-${first}`, messages: [{ role: "user", content: "hi" }] }),
        new AbortController().signal,
      );
  for (const d of deployments) expect(routing.coolingDown(d.id)).toBe(false);
});
