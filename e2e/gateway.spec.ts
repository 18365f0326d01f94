import OpenAI from "openai";
import { startFakeLlmServer, type FakeLlmServer } from "../test/support/fake-llm-server";
import { allowPrivateHost } from "./support/destinations-page";
import { EditorPage } from "./support/editor-page";
import { expect, test } from "./support/fixtures";
import { addLoopbackModels, allowOwnProviders, forgetLoopbackDestinations } from "./support/loopback-model";
import { addMember, signedInApi, signInToHome } from "./support/people";

/**
 * The LLM gateway as people use it: an installation owner connects one of the organization's
 * providers (a real OpenAI-compatible server on loopback), defines a model and grants it to a
 * team; builders see only what they may use; calls from workflows and from the official `openai`
 * client pass the same pipeline and ledger.
 */
let llm: FakeLlmServer;
test.beforeAll(async () => {
  llm = await startFakeLlmServer();
});
test.afterEach(async ({ adminApi }) => forgetLoopbackDestinations(adminApi));
test.afterAll(async () => {
  await llm?.close();
});

const SECRET = "sk-live-do-not-leak-9876";

test("an installation owner connects a provider, defines a model with a fallback and grants it to the team; a builder picks it, runs, and the usage page shows the spend", async ({
  page,
  admin,
  adminApi,
  studio,
  browser,
}) => {
  test.slow(); // three people, four pages and a run: near a minute beside another worker
  llm.behave("primary-model", { kind: "status", status: 503 });
  llm.behave("backup-model", {
    kind: "answer",
    text: "Answer from the backup deployment.",
    usage: { prompt: 1000, completion: 500 },
  });
  await page.setViewportSize({ width: 1440, height: 1000 });
  const team = ((await (await adminApi.get("/api/me")).json()) as { workspace: { name: string } }).workspace.name;
  await signInToHome(page, admin);
  await page.goto("/organization");
  await page
    .getByRole("navigation", { name: "Organization" })
    .getByRole("link", { name: "Models and providers" })
    .click();
  await expect(page.getByRole("heading", { name: "Models", exact: true })).toBeVisible();

  // A provider with a key; the key is never shown again.
  await page.getByRole("button", { name: "Add provider" }).click();
  const dialog = page.getByTestId("provider-dialog");
  await dialog.getByRole("button", { name: "Add provider" }).click();
  await expect(dialog).toContainText("Name the provider");
  await dialog.getByLabel("Name").fill("Loopback LLM");
  await dialog.getByLabel("Base URL").fill(llm.baseUrl);
  await dialog.getByLabel("API key").fill(SECRET);
  await dialog.getByRole("button", { name: "Add provider" }).click();
  const card = page.getByTestId("provider-card").filter({ hasText: "Loopback LLM" });
  await expect(card.getByTestId("provider-key-hint")).toHaveText("…9876");
  await card.getByRole("button", { name: "Test connection" }).click();
  await expect(card.getByTestId("provider-test-result")).toContainText("Connected");
  expect(llm.keysSeen.has(SECRET)).toBe(true);

  // A model: the primary deployment fails, the fallback answers.
  await page.getByRole("button", { name: "New model" }).click();
  const modelDialog = page.getByTestId("model-dialog");
  await modelDialog.getByRole("button", { name: "Create model" }).click();
  await expect(modelDialog).toContainText("Add at least one deployment");
  await modelDialog.getByLabel("Model name").fill("smart");
  await modelDialog.getByRole("button", { name: "Add deployment" }).click();
  // This studio is shared: other files' providers are listed too (the first by default). Pick ours.
  await modelDialog.getByLabel("Deployment 1 provider").selectOption({ label: "Loopback LLM" });
  await modelDialog.getByLabel("Deployment 1 model").fill("primary-model");
  await modelDialog.getByRole("button", { name: "Add deployment" }).click();
  await modelDialog.getByLabel("Deployment 2 provider").selectOption({ label: "Loopback LLM" });
  await modelDialog.getByLabel("Deployment 2 model").fill("backup-model");
  await modelDialog.getByTestId("price-input").fill("2");
  await modelDialog.getByTestId("price-output").fill("10");
  await page.screenshot({ path: "test-results/screens/model-dialog.png" });
  await modelDialog.getByRole("button", { name: "Create model" }).click();
  const row = page.getByTestId("model-row").filter({ hasText: "smart" });
  await expect(row).toContainText("primary-model");
  await expect(row).toContainText("backup-model (fallback)");
  await expect(row).toContainText("admin, builder");
  await page.screenshot({ path: "test-results/screens/models.png", fullPage: true });

  // Granted to the team, under the name its builders pick.
  await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Teams" }).click();
  const teamCard = page.getByRole("listitem", { name: team, exact: true });
  await teamCard.getByRole("button", { name: `Edit ${team}` }).click();
  await teamCard.getByRole("checkbox", { name: /Grant smart/ }).check();
  await expect(teamCard.getByLabel(`Name in ${team} for smart`)).toHaveValue("smart");
  await teamCard.getByRole("button", { name: `Save ${team}` }).click();
  // Saved, the form closes and the card lists the grant. (Other files' models may be granted
  // too: this studio is shared.)
  await expect(teamCard.getByRole("form", { name: `${team}'s models and limits` })).toBeHidden();
  await expect(teamCard.getByText("smart", { exact: true })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
  const granted = page.getByRole("table", { name: "Granted models" });
  await expect(granted.getByRole("row", { name: /^smart smart/ })).toContainText("admin, builder");
  await expect(granted.getByRole("row", { name: /^demo/ })).toContainText("Built-in simulated model");

  // Nothing the admin API answers contains the key.
  for (const path of [
    "/api/organization/providers",
    "/api/organization/models",
    "/api/admin/gateway/grants",
    "/api/models",
  ]) {
    expect(await (await adminApi.get(path)).text()).not.toContain(SECRET);
  }

  // A builder picks "smart" in the editor (an admins-only model is not offered) and runs.
  await addLoopbackModels(adminApi, llm.baseUrl, { "admins-only": "backup-model" });
  const builder = await addMember(adminApi, "BUILDER");
  const builderContext = await browser.newContext({ baseURL: studio.url });
  const builderPage = await builderContext.newPage();
  await builderPage.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(builderPage, builder);
  const builderApi = await signedInApi(studio.url, builder);
  const created = await builderApi.post("/api/workflows", {
    data: {
      name: "Gateway check",
      graph: {
        nodes: [
          {
            id: "start",
            kind: "start",
            label: "Start",
            position: { x: 0, y: 0 },
            config: { fields: [{ name: "topic", type: "string", required: true, description: "" }] },
          },
          {
            id: "write",
            kind: "agent",
            label: "Write",
            position: { x: 260, y: 0 },
            config: { model: "demo", instructions: "Write about {{nodes.start.output.topic}}" },
          },
          {
            id: "out",
            kind: "output",
            label: "Out",
            position: { x: 520, y: 0 },
            config: { value: "{{nodes.write.output.text}}" },
          },
        ],
        edges: [
          { id: "e1", source: "start", target: "write" },
          { id: "e2", source: "write", target: "out" },
        ],
      },
    },
  });
  const wf = await created.json();
  const editor = new EditorPage(builderPage);
  await editor.open(wf.id);
  await editor.select("write");
  const picker = editor.field("Model");
  await expect(picker.locator("option")).toContainText([
    "Pick a model",
    "smart",
    "demo — Built-in simulated model: deterministic answers, no key, no cost",
  ]);
  await expect(picker.locator("option", { hasText: "admins-only" })).toHaveCount(0);
  await picker.selectOption("smart");
  await editor.saved();
  await editor.run.start({ topic: "gateways" });
  await editor.run.expectStatus("completed", { timeout: 20_000 });
  await expect(editor.run.output()).toContainText("Answer from the backup deployment.");
  expect(llm.calls("primary-model")).toBeGreaterThanOrEqual(1);
  await builderContext.close();

  // The run's call is on the usage page: 1000 in × $2/M + 500 out × $10/M = $0.007.
  await page.goto("/admin/usage");
  await expect(page.getByTestId("usage-by-model")).toContainText("smart");
  await expect(page.getByTestId("usage-by-model").locator("tr", { hasText: "smart" })).toContainText("$0.0070");
  await expect(page.getByTestId("usage-by-workflow")).toContainText("Gateway check");
  await expect(page.getByTestId("usage-by-user")).toContainText(builder.name);
  await expect(page.getByTestId("usage-recent")).toContainText("backup-model");
  await page.screenshot({ path: "test-results/screens/usage.png", fullPage: true });
  const csv = await (await adminApi.get("/api/admin/usage?days=1&format=csv")).text();
  expect(csv.split("\n")[0]).toContain("time,user,source,run,step,workflow,model");
  expect(csv).toContain(`${builder.email},workflow`);
  expect(csv).not.toContain(SECRET);
  expect(studio.output()).not.toContain(SECRET);
});

test("the OpenAI-compatible endpoint with the official openai client: models, completions, streaming, tool calls, 429 with Retry-After", async ({
  adminApi,
  studio,
}) => {
  llm.behave("chat-model", { kind: "answer", text: "Hello from the loopback model." });
  llm.behave("tool-model", { kind: "tool", name: "get_weather", arguments: { city: "Oslo" } });
  await allowOwnProviders(adminApi, llm.baseUrl);
  const providers = (await (await adminApi.get("/api/admin/gateway/providers")).json()).providers;
  let providerId = providers.find((p: { name: string }) => p.name === "Client test")?.id;
  if (!providerId)
    providerId = (
      await (
        await adminApi.post("/api/admin/gateway/providers", {
          data: { name: "Client test", kind: "OPENAI_COMPATIBLE", baseUrl: llm.baseUrl },
        })
      ).json()
    ).id;
  for (const [name, modelId] of [
    ["chat", "chat-model"],
    ["tools", "tool-model"],
  ]) {
    const res = await adminApi.post("/api/admin/gateway/models", {
      data: { name, allowedRoles: ["ADMIN", "BUILDER"], deployments: [{ providerId, modelId }] },
    });
    expect(res.status(), await res.text()).toBe(201);
  }
  const { key } = await (await adminApi.post("/api/api-keys", { data: { name: "openai client" } })).json();
  const client = new OpenAI({ apiKey: key, baseURL: `${studio.url}/api/gateway/v1`, maxRetries: 0 });

  const models = await client.models.list();
  expect(models.data.map((m) => m.id)).toEqual(expect.arrayContaining(["demo", "chat", "tools"]));

  const completion = await client.chat.completions.create({
    model: "chat",
    messages: [{ role: "user", content: "Say hello" }],
  });
  expect(completion.choices[0]!.message.content).toBe("Hello from the loopback model.");
  expect(completion.usage?.total_tokens).toBeGreaterThan(0);

  const stream = await client.chat.completions.create({
    model: "chat",
    messages: [{ role: "user", content: "Say hello" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let streamed = "";
  let usage = 0;
  for await (const chunk of stream) {
    streamed += chunk.choices[0]?.delta.content ?? "";
    usage = chunk.usage?.total_tokens ?? usage;
  }
  expect(streamed).toBe("Hello from the loopback model.");
  expect(usage).toBeGreaterThan(0);

  const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Weather in a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    },
  ];
  const call = await client.chat.completions.create({
    model: "tools",
    messages: [{ role: "user", content: "Weather in Oslo?" }],
    tools,
  });
  const toolCall = call.choices[0]!.message
    .tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
  expect(call.choices[0]!.finish_reason).toBe("tool_calls");
  expect(toolCall.function.name).toBe("get_weather");
  expect(JSON.parse(toolCall.function.arguments)).toEqual({ city: "Oslo" });
  const answer = await client.chat.completions.create({
    model: "tools",
    tools,
    messages: [
      { role: "user", content: "Weather in Oslo?" },
      { role: "assistant", content: null, tool_calls: [toolCall] },
      { role: "tool", tool_call_id: toolCall.id, content: "Sunny, 21 °C" },
    ],
  });
  expect(answer.choices[0]!.message.content).toBe("The tool said: Sunny, 21 °C");

  // The demo model answers through the same door, and says it is simulated.
  const demo = await client.chat.completions.create({
    model: "demo",
    messages: [{ role: "user", content: "Plan a picnic" }],
  });
  expect(demo.choices[0]!.message.content).toContain("[Simulated demo model]");

  await expect(
    client.chat.completions.create({ model: "nope", messages: [{ role: "user", content: "x" }] }),
  ).rejects.toMatchObject({ status: 404 });

  // A rate limit: 429 with Retry-After.
  const limits = await (await adminApi.get("/api/admin/gateway/limits")).json();
  await adminApi.put("/api/admin/gateway/limits", { data: { ...limits, userRpm: 1 } });
  try {
    await client.chat.completions
      .create({ model: "chat", messages: [{ role: "user", content: "one" }] })
      .catch(() => undefined);
    const raw = await fetch(`${studio.url}/api/gateway/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "chat", messages: [{ role: "user", content: "two" }] }),
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await raw.json()).error.message).toMatch(/Rate limit reached: your requests per minute/);
    await expect(
      client.chat.completions.create({ model: "chat", messages: [{ role: "user", content: "three" }] }),
    ).rejects.toMatchObject({ status: 429 });
  } finally {
    await adminApi.put("/api/admin/gateway/limits", { data: { ...limits, userRpm: null } });
  }
  const bad = await fetch(`${studio.url}/api/gateway/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: "Bearer fdk_wrong", "content-type": "application/json" },
    body: "{}",
  });
  expect(bad.status).toBe(401);
});

test("a team's own provider on this machine is refused until its admin allows the address under HTTP destinations", async ({
  page,
  admin,
  adminApi,
}) => {
  // A model server of this test's own (its port has no HTTP destination yet), on loopback: a private address.
  const local = await startFakeLlmServer();
  try {
    await allowOwnProviders(adminApi);
    const host = new URL(local.baseUrl).host;
    const name = `Own model server ${Date.now().toString(36)}`;
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInToHome(page, admin);
    await page.goto("/admin/models");
    const section = page.getByRole("region", { name: "This workspace's own providers" });
    await section.getByRole("button", { name: "Add provider" }).click();
    const dialog = page.getByTestId("provider-dialog");
    await expect(dialog.getByText(/reached once its address is allowed under HTTP destinations/)).toBeVisible();
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Base URL").fill(local.baseUrl);
    await dialog.getByRole("button", { name: "Add provider" }).click();
    const card = page.getByTestId("provider-card").filter({ hasText: name });
    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(card.getByTestId("provider-test-result")).toContainText(
      "127.0.0.1 is a private, loopback or link-local address: requests go there only when one of this workspace's HTTP destinations names 127.0.0.1 and allows private addresses",
    );
    await page.screenshot({ path: "test-results/screens/team-provider-refused.png", fullPage: true });

    // The admin allows exactly that server, private addresses included.
    await page.goto("/admin/destinations");
    await allowPrivateHost(page, host);

    await page.goto("/admin/models");
    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(card.getByTestId("provider-test-result")).toContainText("Connected");
  } finally {
    await local.close();
  }
});
