import { expect, test, type APIRequestContext } from "@playwright/test";
import { newPerson, setUpFirstAdmin, signedInApi } from "./support/people";
import { startStudio, type Studio } from "./support/studio";
import { startFakeLlmServer, type FakeLlmServer } from "../test/support/fake-llm-server";
import { allowOwnProviders } from "./support/loopback-model";

/**
 * Budget races through the gateway's OpenAI-compatible door: 20 concurrent chat completions
 * against a workspace cap that covers exactly 5 calls. With `max_tokens`, without it (the
 * model's output limit is reserved), and against a provider that ignores the limit it is sent
 * (the gateway cuts it off), streamed and not: exactly 5 answers, and the spend never passes the
 * cap. Each refusal says what the call could have cost.
 */
test.describe.configure({ mode: "serial" });

const CENT = 0.01;
let llm: FakeLlmServer;
let providerId: string;
// A studio of its own: its providers, models and caps must not meet other specs' runs.
let studio: Studio;
let adminApi: APIRequestContext;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  studio = await startStudio();
  const admin = newPerson("Admin");
  await setUpFirstAdmin(studio.url, admin);
  adminApi = await signedInApi(studio.url, admin);
  llm = await startFakeLlmServer();
  llm.behave("honest", { kind: "answer", text: "one two three four five six seven eight", honourMaxTokens: true });
  llm.behave("ignores-limit", { kind: "answer", text: "word ".repeat(60).trim(), chunkDelayMs: 2 });
});
test.afterAll(async () => {
  await llm?.close();
  await adminApi?.dispose();
  await studio?.stop();
});

async function setUp(api: APIRequestContext, alias: string, modelId: string, maxOutputTokens: number) {
  if (!providerId) {
    await allowOwnProviders(api, llm.baseUrl);
    const made = await api.post("/api/admin/gateway/providers", {
      data: { name: "Budget races", kind: "OPENAI_COMPATIBLE", baseUrl: llm.baseUrl },
    });
    expect(made.status(), await made.text()).toBe(201);
    providerId = (await made.json()).id;
  }
  const res = await api.post("/api/admin/gateway/models", {
    data: {
      name: alias,
      allowedRoles: ["ADMIN"],
      inputPricePerMTok: 0,
      outputPricePerMTok: 10_000, // a cent per output token
      maxOutputTokens,
      deployments: [{ providerId, modelId }],
    },
  });
  expect(res.status(), await res.text()).toBe(201);
}

const spent = async (api: APIRequestContext): Promise<number> =>
  (await (await api.get("/api/admin/gateway/limits")).json()).spent.workspaceUsd;

/** Caps the workspace at what it has spent plus `allowance`, and returns the spend before. */
async function capAt(api: APIRequestContext, allowance: number): Promise<number> {
  const before = await spent(api);
  const res = await api.put("/api/admin/gateway/limits", {
    data: { workspaceBudgetUsd: before + allowance, budgetPeriod: "MONTH" },
  });
  expect(res.status(), await res.text()).toBe(200);
  return before;
}

async function race(url: string, key: string, body: Record<string, unknown>) {
  return Promise.all(
    Array.from({ length: 20 }, async () => {
      const res = await fetch(`${url}/api/gateway/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "Count for me" }], ...body }),
      });
      return { status: res.status, text: await res.text() };
    }),
  );
}

/** The answer of a completion, streamed or not. */
function answerOf(text: string, streamed: boolean): string {
  if (!streamed) return JSON.parse(text).choices[0].message.content;
  return text
    .split("\n")
    .filter((l) => l.startsWith("data: {"))
    .map((l) => JSON.parse(l.slice(6)).choices?.[0]?.delta?.content ?? "")
    .join("");
}

const cases = [
  {
    name: "max_tokens sent, provider honours it",
    alias: "race-honest",
    model: "honest",
    limit: 5,
    body: { max_tokens: 2 },
    perCall: 2,
  },
  {
    name: "no max_tokens: the model's output limit is reserved",
    alias: "race-default",
    model: "honest",
    limit: 5,
    body: {},
    perCall: 5,
  },
  {
    name: "max_tokens: 1 to a provider that ignores it",
    alias: "race-ignored",
    model: "ignores-limit",
    limit: 50,
    body: { max_tokens: 1 },
    perCall: 1,
  },
  {
    name: "streams with no max_tokens to a provider that ignores the model's limit",
    alias: "race-stream",
    model: "ignores-limit",
    limit: 5,
    body: { stream: true },
    perCall: 5,
  },
];

for (const c of cases) {
  test(`20 concurrent completions against a cap for 5 (${c.name}): 5 answered, spend within the cap`, async () => {
    await setUp(adminApi, c.alias, c.model, c.limit);
    const { key } = await (await adminApi.post("/api/api-keys", { data: { name: `budget ${c.alias}` } })).json();
    const perCallUsd = c.perCall * CENT;
    const allowance = perCallUsd * 5;
    const before = await capAt(adminApi, allowance);
    const callsBefore = llm.calls(c.model);
    try {
      const results = await race(studio.url, key, { model: c.alias, ...c.body });
      const answered = results.filter((r) => r.status === 200);
      const refused = results.filter((r) => r.status !== 200);
      expect(answered).toHaveLength(5);
      expect(llm.calls(c.model) - callsBefore).toBe(5);
      for (const r of refused) {
        expect(r.status).toBe(402);
        expect(JSON.parse(r.text).error.message).toMatch(
          new RegExp(`Budget reached: .* this call could cost up to \\$${perCallUsd.toFixed(2)}`),
        );
      }
      for (const r of answered) expect(answerOf(r.text, c.body.stream === true).length).toBeGreaterThan(0);
      // Settlements are written just after each answer: wait for them, then hold the cap to it.
      await expect.poll(async () => (await spent(adminApi)) - before).toBeCloseTo(allowance, 6);
      await new Promise((r) => setTimeout(r, 300));
      expect((await spent(adminApi)) - before).toBeLessThanOrEqual(allowance + 1e-9);
    } finally {
      await adminApi.put("/api/admin/gateway/limits", { data: { workspaceBudgetUsd: null, budgetPeriod: "MONTH" } });
    }
  });
}
