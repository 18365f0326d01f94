import { expect, it } from "vitest";
import { gatewayWorld } from "../support/gateway-world";

/**
 * Blocked topics (issue #19): a guardrail policy names topics and one of the organization's
 * models as their judge. Through the real gateway and a real OpenAI-compatible server on
 * loopback (whose requests are what providers saw): a prompt the judge places in a blocked topic
 * is refused before the asked model's provider sees it; the judge saw the prompt with personal
 * data redacted; the judge's call is charged to the caller; a verdict is not asked again for the
 * same message; a prompt on no blocked topic goes through; a judge that fails refuses (closed);
 * the trail says which topic, never the text; "Try" asks the judge too.
 */
const world = gatewayWorld("guardrail-topics");

async function setUp() {
  const prisma = await world.mod.db.db();
  await prisma.user.update({ where: { id: world.admin.user.id }, data: { installationOwner: true } });
  const { id: providerId } = await world.mod.admin.saveProvider(
    world.admin,
    { name: "Judges", kind: "OPENAI_COMPATIBLE", baseUrl: world.llm.baseUrl, apiKey: "judge-key" },
    undefined,
    "organization",
  );
  // The organization's judge, granted to no team: the policy uses it for every team.
  await world.mod.admin.saveAlias(
    world.admin,
    {
      name: "topic-judge",
      description: "",
      inputPricePerMTok: 0,
      outputPricePerMTok: 1_000_000,
      contextWindow: 128_000,
      maxOutputTokens: 100,
      supportsTools: false,
      supportsStructured: false,
      allowedRoles: [],
      allowedUserIds: [],
      cacheTtlSeconds: 0,
      deployments: [
        { providerId, modelId: "judge-model", weight: 1, rpmLimit: null, tpmLimit: null, timeoutSeconds: 30 },
      ],
    },
    undefined,
    "organization",
  );
  await world.alias("chat", [{ modelId: "chat-model" }]);
  await world.alias("locked", [{ modelId: "locked-model" }], { allowedRoles: ["ADMIN"] });
  await prisma.guardrailPolicy.deleteMany();
  await (await import("../../lib/gateway/violations")).flushViolations();
  await prisma.guardrailViolation.deleteMany();
  return import("../../lib/gateway/policies");
}

const trail = async () => {
  const { flushViolations } = await import("../../lib/gateway/violations");
  await flushViolations();
  return (await world.mod.db.db()).guardrailViolation.findMany({ orderBy: { at: "asc" } });
};

const rules = {
  pii: { kinds: ["email"] },
  topics: {
    blocked: [
      { name: "Weather", description: "forecasts and rain" },
      { name: "Investment advice", description: "which stocks, funds or coins to buy or sell" },
    ],
    model: "topic-judge",
  },
} as never;

it("refuses a prompt the judge places in a blocked topic, before the asked model's provider sees it", async () => {
  const policies = await setUp();
  await expect(
    policies.savePolicy(world.admin, null, {
      name: "No advice",
      workspaceId: null,
      rules: { topics: { blocked: [{ name: "Investment advice" }], model: "nowhere" } } as never,
    }),
  ).rejects.toMatchObject({ status: 400, message: expect.stringContaining("the organization has no model “nowhere”") });
  // Saved switched on, the judge is asked once that it answers (a judge that cannot would refuse every call).
  world.llm.behave("judge-model", { kind: "answer", text: "I refuse to judge" });
  await expect(
    policies.savePolicy(world.admin, null, { name: "No advice", workspaceId: null, rules }),
  ).rejects.toMatchObject({
    status: 400,
    message: expect.stringContaining(
      "the judge “topic-judge” could not answer (the judge did not answer with a topic's number)",
    ),
  });
  world.llm.behave("judge-model", { kind: "answer", text: "0" });
  await policies.savePolicy(world.admin, null, { name: "No advice", workspaceId: null, rules });
  world.llm.reset();

  // A call admission refuses anyway (a model the builder may not use) asks no judge.
  await expect(world.ask("locked", world.builder)).rejects.toThrow("You may not use the model “locked”");
  expect(world.llm.calls("judge-model")).toBe(0);

  world.llm.behave("judge-model", { kind: "answer", text: "2" });
  const recorded = (await world.ledgerRows()).length;
  const prompt = "I am ada@example.com: which coins should I buy this week?";
  await expect(world.ask("chat", world.builder, { prompt })).rejects.toThrow(
    "This request is about “Investment advice”, a topic the guardrail policy “No advice” blocks.",
  );
  expect(world.llm.calls("chat-model")).toBe(0);
  expect(world.llm.calls("judge-model")).toBe(1);
  const judged = JSON.stringify(world.llm.requests.filter((r) => r.model === "judge-model"));
  expect(judged).toContain("2. Investment advice: which stocks, funds or coins to buy or sell");
  expect(judged).toContain("I am [email]: which coins should I buy this week?");
  expect(judged).not.toContain("ada@example.com");
  // The judge's call is the caller's: in the ledger, under the judge's name.
  const rows = (await world.ledgerRows()).slice(recorded);
  expect(rows).toMatchObject([{ alias: "topic-judge", userId: world.builder.user.id }]);

  // The same message is not judged again (an agent's loop resends it with every step).
  await expect(world.ask("chat", world.builder, { prompt })).rejects.toThrow("Investment advice");
  expect(world.llm.calls("judge-model")).toBe(1);

  const found = await trail();
  expect(found.map((r) => [r.kind, r.action, r.detail])).toEqual([
    ["pii-prompt", "redacted", "email"],
    ["blocked-topic", "refused", "topic “Investment advice”"],
    ["pii-prompt", "redacted", "email"],
    ["blocked-topic", "refused", "topic “Investment advice”"],
  ]);
  expect(JSON.stringify(found)).not.toContain("coins");
});

it("lets a prompt on no blocked topic through, and refuses every call while its judge cannot answer", async () => {
  const policies = await setUp();
  // Switched off, it saves whatever its judge says; switched on later, it is in force.
  world.llm.behave("judge-model", { kind: "status", status: 400, message: "judge broke" });
  const saved = await policies.savePolicy(world.admin, null, {
    name: "No advice",
    workspaceId: null,
    enabled: false,
    rules,
  });
  world.llm.behave("judge-model", { kind: "answer", text: "0" });
  await policies.savePolicy(world.admin, saved.id, { name: "No advice", workspaceId: null, rules });
  world.llm.reset();
  world.llm.behave("judge-model", { kind: "answer", text: "0" });
  world.llm.behave("chat-model", { kind: "answer", text: "Kelp grows fast." });
  expect((await world.ask("chat", world.builder, { prompt: "How fast does kelp grow?" })).text).toBe(
    "Kelp grows fast.",
  );
  expect(world.llm.calls("judge-model")).toBe(1);
  world.llm.behave("judge-model", { kind: "status", status: 400, message: "judge broke" });
  await expect(world.ask("chat", world.builder, { prompt: "And sea grass?" })).rejects.toThrow(
    /The guardrail policy “No advice” could not check this request's topic/,
  );
  world.llm.behave("judge-model", { kind: "answer", text: "I cannot say" });
  await expect(world.ask("chat", world.builder, { prompt: "And coral?" })).rejects.toThrow(
    "could not check this request's topic: the judge did not answer with a topic's number",
  );

  // "Try" asks the judge as well, on the text as redacted.
  world.llm.behave("judge-model", { kind: "answer", text: "1" });
  const tried = await policies.tryPolicy(
    world.admin,
    (await import("../../lib/schemas/guardrail-policy")).policyRulesSchema.parse(rules),
    "Rain tomorrow? Mail bo@example.com",
  );
  expect(tried.refused).toBe("This request is about “Weather”, a topic the guardrail policy “this policy” blocks.");
  expect(tried.findings).toContain("Prompts refused for a blocked topic: topic “Weather”");
  expect(JSON.stringify(world.llm.requests.at(-1))).toContain("Rain tomorrow? Mail [email]");
  expect((await trail()).map((r) => r.kind)).toEqual(["topic-unchecked", "topic-unchecked"]);

  // The judge stays while a policy judges with it.
  const judge = (await world.mod.db.db()).modelAlias.findFirstOrThrow({ where: { name: "topic-judge" } });
  await expect(world.mod.admin.deleteAlias(world.admin, (await judge).id, "organization")).rejects.toMatchObject({
    status: 409,
    message: expect.stringContaining("The guardrail policy “No advice” judges topics with “topic-judge”"),
  });
});
