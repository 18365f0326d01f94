import { createHmac } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { audit } from "./support/axe";
import { signInToHome } from "./support/people";
import { node } from "./support/graph-node";

/**
 * Webhooks over real HTTP: a trigger's URL starts the published version with the JSON body as
 * the Start fields; async and sync answers, idempotency under racing retries, token and HMAC
 * signatures, bad input named, rate limits, the test URL running the draft, and the editor's
 * Triggers tab where a builder makes one, copies its secret and sees its deliveries.
 */
/** Start (name required, count) → Output "<greeting> <name>", published once with "Hello". */
async function greeter(api: APIRequestContext, greeting = "Hello", extra: object[] = []) {
  const graph = (word: string) => ({
    nodes: [
      node(
        "start",
        "start",
        {
          fields: [
            { name: "name", type: "string", required: true },
            { name: "count", type: "number", required: false },
          ],
        },
        0,
      ),
      ...extra,
      node("out", "output", { value: `${word} {{nodes.start.output.name}}` }, 2),
    ],
    edges: extra.length
      ? [
          { id: "e1", source: "start", target: "check" },
          { id: "e2", source: "check", target: "out", sourceHandle: "approved" },
        ]
      : [{ id: "e1", source: "start", target: "out" }],
  });
  const res = await api.post("/api/workflows", { data: { name: `Greeter ${Date.now()}`, graph: graph(greeting) } });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = await res.json();
  const { revision } = await (await api.get(`/api/workflows/${id}`)).json();
  expect((await api.post(`/api/workflows/${id}/versions`, { data: { revision, note: "v1" } })).status()).toBe(201);
  return { id, graph };
}

async function webhook(api: APIRequestContext, workflowId: string, config: Record<string, unknown> = {}) {
  const res = await api.post(`/api/workflows/${workflowId}/triggers`, { data: { name: "Shop orders", config } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()) as { id: string; path: string; testPath: string; secret: string };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

test("async: 202 with the run id and a status URL; the run says a webhook started it; deliveries are listed", async ({
  studio,
  adminApi,
}) => {
  const wf = await greeter(adminApi);
  const hook = await webhook(adminApi, wf.id);
  const auth = { authorization: `Bearer ${hook.secret}` };
  const res = await post(`${studio.url}${hook.path}`, JSON.stringify({ name: "Ada", count: 2 }), auth);
  expect(res.status).toBe(202);
  const answer = await res.json();
  expect(answer).toMatchObject({ runId: expect.any(String), statusUrl: `/api/hooks/${hook.id}/runs/${answer.runId}` });
  expect(res.headers.get("location")).toBe(answer.statusUrl);

  await expect
    .poll(async () => (await (await fetch(`${studio.url}${answer.statusUrl}`, { headers: auth })).json()).output)
    .toBe("Hello Ada");
  // The status URL takes the webhook's secret, nothing else.
  expect((await fetch(`${studio.url}${answer.statusUrl}`)).status).toBe(401);

  const webhookRuns = (await (await adminApi.get(`/api/workflows/${wf.id}/runs?trigger=webhook`)).json()).runs;
  expect(webhookRuns).toEqual([expect.objectContaining({ id: answer.runId, trigger: "webhook", version: 1 })]);
  const editorRuns = (await (await adminApi.get(`/api/workflows/${wf.id}/runs?trigger=editor`)).json()).runs;
  expect(editorRuns.map((r: { id: string }) => r.id)).not.toContain(answer.runId);

  const { deliveries } = await (await adminApi.get(`/api/triggers/${hook.id}/deliveries`)).json();
  expect(deliveries).toEqual([
    expect.objectContaining({ status: 202, runId: answer.runId, test: false, payload: '{"name":"Ada","count":2}' }),
  ]);
});

test("sync: the run's output in the answer; a run that waits for a person answers 202 with its status", async ({
  studio,
  adminApi,
}) => {
  const wf = await greeter(adminApi);
  const hook = await webhook(adminApi, wf.id, { mode: "sync", waitSeconds: 10 });
  const auth = { authorization: `Bearer ${hook.secret}` };
  const res = await post(`${studio.url}${hook.path}`, JSON.stringify({ name: "Grace" }), auth);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "COMPLETED", output: "Hello Grace" });

  const review = node(
    "check",
    "human-review",
    { instructions: "Check", content: "{{nodes.start.output.name}}", reviewerRole: "ADMIN" },
    1,
  );
  const waits = await greeter(adminApi, "Hello", [review]);
  const slow = await webhook(adminApi, waits.id, { mode: "sync", waitSeconds: 3 });
  const started = Date.now();
  const pending = await post(`${studio.url}${slow.path}`, JSON.stringify({ name: "Linus" }), {
    authorization: `Bearer ${slow.secret}`,
  });
  expect(pending.status).toBe(202);
  expect(await pending.json()).toMatchObject({
    status: "WAITING",
    statusUrl: expect.stringMatching(/^\/api\/hooks\//),
  });
  expect(Date.now() - started).toBeLessThan(3_000); // a pause answers at once, not after the wait
});

test("an Idempotency-Key: racing and later retries of one delivery start one run and get its answer", async ({
  studio,
  adminApi,
}) => {
  const wf = await greeter(adminApi);
  const hook = await webhook(adminApi, wf.id);
  const headers = { authorization: `Bearer ${hook.secret}`, "idempotency-key": `order-${Date.now()}` };
  const body = JSON.stringify({ name: "Edsger" });
  const answers = await Promise.all(Array.from({ length: 6 }, () => post(`${studio.url}${hook.path}`, body, headers)));
  const ids = await Promise.all(answers.map(async (a) => (expect(a.status).toBe(202), (await a.json()).runId)));
  expect(new Set(ids).size).toBe(1);
  const again = await post(`${studio.url}${hook.path}`, body, headers);
  expect((await again.json()).runId).toBe(ids[0]);
  expect(again.headers.get("idempotent-replayed")).toBe("true");
  // Another key is another delivery.
  const other = await post(`${studio.url}${hook.path}`, body, { ...headers, "idempotency-key": "another" });
  expect((await other.json()).runId).not.toBe(ids[0]);
  // A delivery refused before any run started lets its key go: the corrected retry runs.
  const fixed = { ...headers, "idempotency-key": `fixed-${Date.now()}` };
  expect((await post(`${studio.url}${hook.path}`, "{}", fixed)).status).toBe(400);
  expect((await post(`${studio.url}${hook.path}`, body, fixed)).status).toBe(202);
  const runs = (await (await adminApi.get(`/api/workflows/${wf.id}/runs?trigger=webhook`)).json()).runs;
  expect(runs).toHaveLength(3);
});

test("signatures: a token or an HMAC of the body with a fresh timestamp, else 401 saying what is wrong", async ({
  studio,
  adminApi,
}) => {
  const wf = await greeter(adminApi);
  const token = await webhook(adminApi, wf.id);
  const body = JSON.stringify({ name: "Barbara" });
  const url = `${studio.url}${token.path}`;
  expect((await post(url, body)).status).toBe(401);
  const wrong = await post(url, body, { authorization: "Bearer whsec_not-it" });
  expect(wrong.status).toBe(401);
  expect((await wrong.json()).error.message).toMatch(/token does not match/);
  expect((await post(url, body, { "x-flowdeck-token": token.secret })).status).toBe(202);

  const signed = await webhook(adminApi, wf.id, { auth: "hmac" });
  const hmacUrl = `${studio.url}${signed.path}`;
  const sign = (t: number, payload: string, secret = signed.secret) =>
    `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${payload}`).digest("hex")}`;
  const now = Math.floor(Date.now() / 1000);
  const first = await post(hmacUrl, body, { "x-flowdeck-signature": sign(now, body) });
  expect(first.status).toBe(202);
  const { runId, statusUrl } = await first.json();
  // The same signed request sent again (a replay within the window) is the same delivery: no second run.
  const again = await post(hmacUrl, body, { "x-flowdeck-signature": sign(now, body) });
  expect((await again.json()).runId).toBe(runId);
  expect(again.headers.get("idempotent-replayed")).toBe("true");
  // A captured delivery sent again with an Idempotency-Key of its own, or to the test URL, starts
  // nothing: a signature starts one delivery. (Before, each new key started a run.)
  for (const [url, key] of [
    [hmacUrl, "replayed-1"],
    [hmacUrl, "replayed-2"],
    [`${studio.url}${signed.testPath}`, "replayed-3"],
  ]) {
    const replay = await post(url!, body, { "x-flowdeck-signature": sign(now, body), "idempotency-key": key! });
    expect(replay.status, url).toBe(409);
    expect((await replay.json()).error.message).toMatch(/this signature was used before/);
  }
  // A signed status request is signed over an empty body: it cannot be sent as a delivery.
  const polled = sign(now - 1, "");
  expect((await fetch(`${studio.url}${statusUrl}`, { headers: { "x-flowdeck-signature": polled } })).status).toBe(200);
  expect((await post(hmacUrl, "", { "x-flowdeck-signature": polled })).status).toBe(409);
  // A delivery signed anew with its own key goes, and its exact retry gets its run.
  const fresh = { "x-flowdeck-signature": sign(now + 1, body), "idempotency-key": "order-2" };
  const next = await post(hmacUrl, body, fresh);
  expect(next.status).toBe(202);
  const nextRun = (await next.json()).runId;
  expect(nextRun).not.toBe(runId);
  expect((await (await post(hmacUrl, body, fresh)).json()).runId).toBe(nextRun);
  const runs = (await (await adminApi.get(`/api/workflows/${wf.id}/runs?trigger=webhook`)).json()).runs;
  // Three in all: the token webhook's above, and these two.
  expect(runs).toHaveLength(3);
  expect(runs.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([runId, nextRun]));
  // The token of a signed webhook is no signature.
  expect((await post(hmacUrl, body, { authorization: `Bearer ${signed.secret}` })).status).toBe(401);
  const tampered = await post(hmacUrl, JSON.stringify({ name: "Mallory" }), {
    "x-flowdeck-signature": sign(now, body),
  });
  expect(tampered.status).toBe(401);
  expect((await tampered.json()).error.message).toMatch(/does not match the body/);
  const replayed = await post(hmacUrl, body, { "x-flowdeck-signature": sign(now - 3600, body) });
  expect(replayed.status).toBe(401);
  expect((await replayed.json()).error.message).toMatch(/more than 5 minutes from now/);
  expect((await post(hmacUrl, body, { "x-flowdeck-signature": "v1=abc" })).status).toBe(401);
  // A rotated secret: the old one stops at once.
  const rotated = await (await adminApi.post(`/api/triggers/${signed.id}/secret`)).json();
  expect((await post(hmacUrl, body, { "x-flowdeck-signature": sign(now, body) })).status).toBe(401);
  expect((await post(hmacUrl, body, { "x-flowdeck-signature": sign(now, body, rotated.secret) })).status).toBe(202);
});

test("bad deliveries get a 4xx naming the problem; unknown, disabled and deleted webhooks 404; the rate is kept", async ({
  studio,
  adminApi,
}) => {
  const wf = await greeter(adminApi);
  const hook = await webhook(adminApi, wf.id, { perMinute: 8 });
  const auth = { authorization: `Bearer ${hook.secret}` };
  const url = `${studio.url}${hook.path}`;
  const problem = async (res: Response) => ({ status: res.status, ...(await res.json()).error });

  expect(await problem(await post(url, JSON.stringify({ count: 1 }), auth))).toMatchObject({
    status: 400,
    fields: [expect.objectContaining({ path: "body.name" })],
  });
  expect(await problem(await post(url, JSON.stringify({ name: 5 }), auth))).toMatchObject({
    status: 400,
    message: /^body\.name/,
  });
  expect(await problem(await post(url, "{not json", auth))).toMatchObject({
    status: 400,
    message: /^body: not valid JSON/,
  });
  expect(await problem(await post(url, "[1,2]", auth))).toMatchObject({ status: 400, message: /JSON object/ });
  expect(await problem(await post(url, JSON.stringify({ name: "a\u0000b" }), auth))).toMatchObject({
    status: 400,
    message: /^body\.name/,
  });
  // A raw NUL (not JSON's escape) in the body: not JSON, and nothing of it breaks the record.
  expect(await problem(await post(url, '{"name":"a\u0000b"}', auth))).toMatchObject({
    status: 400,
    message: /^body: not valid JSON/,
  });
  expect(await problem(await post(url, JSON.stringify({ name: "x".repeat(1_100_000) }), auth))).toMatchObject({
    status: 413,
    message: /^body: larger than/,
  });
  expect(
    await problem(
      await fetch(url, { method: "POST", body: "name=Ada", headers: { ...auth, "content-type": "text/plain" } }),
    ),
  ).toMatchObject({ status: 415 });
  // Nothing of that started a run; each was recorded with its answer, except the body too large
  // to read (refused before the webhook's secret is even checked: neither recorded nor counted).
  expect((await (await adminApi.get(`/api/workflows/${wf.id}/runs`)).json()).runs).toHaveLength(0);
  const { deliveries } = await (await adminApi.get(`/api/triggers/${hook.id}/deliveries`)).json();
  expect(deliveries.map((d: { status: number }) => d.status).sort()).toEqual([400, 400, 400, 400, 400, 400, 415]);

  // The rate: 8 a minute, and 7 are spent above.
  expect((await post(url, JSON.stringify({ name: "one" }), auth)).status).toBe(202);
  const refused = await post(url, JSON.stringify({ name: "two" }), auth);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

  expect((await post(`${studio.url}/api/hooks/nope-not-a-hook`, "{}", auth)).status).toBe(404);
  expect((await adminApi.patch(`/api/triggers/${hook.id}`, { data: { enabled: false } })).status()).toBe(200);
  const off = await post(url, JSON.stringify({ name: "Ada" }), auth);
  expect(off.status).toBe(404);
  expect((await adminApi.delete(`/api/triggers/${hook.id}`)).status()).toBe(200);
  expect((await post(url, JSON.stringify({ name: "Ada" }), auth)).status).toBe(404);

  // A webhook of a workflow in the bin is gone too.
  const binned = await greeter(adminApi);
  const live = await webhook(adminApi, binned.id);
  expect((await adminApi.delete(`/api/workflows/${binned.id}`)).status()).toBe(200);
  const gone = await post(`${studio.url}${live.path}`, JSON.stringify({ name: "Ada" }), {
    authorization: `Bearer ${live.secret}`,
  });
  expect(gone.status).toBe(404);
});

test("the test URL runs the draft; the URL runs the published version", async ({ studio, adminApi }) => {
  const wf = await greeter(adminApi);
  const { revision } = await (await adminApi.get(`/api/workflows/${wf.id}`)).json();
  expect(
    (await adminApi.put(`/api/workflows/${wf.id}/draft`, { data: { revision, graph: wf.graph("Hi") } })).status(),
  ).toBe(200);
  const hook = await webhook(adminApi, wf.id, { mode: "sync" });
  const auth = { authorization: `Bearer ${hook.secret}` };
  const body = JSON.stringify({ name: "Ada" });
  expect((await (await post(`${studio.url}${hook.path}`, body, auth)).json()).output).toBe("Hello Ada");
  const test_ = await (await post(`${studio.url}${hook.testPath}`, body, auth)).json();
  expect(test_.output).toBe("Hi Ada");
  const { deliveries } = await (await adminApi.get(`/api/triggers/${hook.id}/deliveries`)).json();
  expect(deliveries.map((d: { test: boolean; status: number }) => [d.test, d.status])).toEqual([
    [true, 200],
    [false, 200],
  ]);
});

test("a builder makes a webhook in the editor, copies its secret once, and sees a delivery and its run", async ({
  page,
  studio,
  admin,
  adminApi,
}) => {
  const wf = await greeter(adminApi);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.goto(`/workflows/${wf.id}`);
  await page.getByRole("tab", { name: "Triggers" }).click();
  await expect(page.getByText("No webhooks, schedules, forms or chats yet.")).toBeVisible();
  await page.getByRole("button", { name: "Add webhook" }).click();
  const form = page.getByRole("form", { name: "New webhook" });
  await form.getByLabel("Name").fill("Orders from the shop");
  await form.getByLabel("Answer").selectOption({ label: "With the run's output, when it ends in time" });
  await form.getByRole("button", { name: "Add webhook" }).click();

  const card = page.getByRole("region", { name: "Orders from the shop" });
  await expect(card.getByText("On", { exact: true })).toBeVisible();
  await expect(card.getByText("Copy the secret now: it is not shown again.")).toBeVisible();
  const secret = await card.getByLabel("Secret of Orders from the shop").inputValue();
  expect(secret).toMatch(/^whsec_/);
  const url = await card.getByLabel("URL of Orders from the shop", { exact: true }).inputValue();
  expect(url).toMatch(new RegExp(`^${studio.url}/api/hooks/`));
  await expect(card.getByLabel("Example command for Orders from the shop")).toHaveValue(
    new RegExp(`curl -X POST ${url} -H "Authorization: Bearer ${secret}".*-d '\\{"name":"text","count":1\\}'`),
  );
  await page.screenshot({ path: "test-results/webhook-made.png" });
  expect(await audit(page)).toEqual([]);

  const res = await post(url, JSON.stringify({ name: "Ada" }), { authorization: `Bearer ${secret}` });
  expect(res.status).toBe(200);
  const deliveries = card.getByRole("list", { name: "Recent deliveries" });
  await expect(deliveries.getByText("200 OK")).toBeVisible();
  // Beside the answer, how its run went (the answer alone says only that it was taken).
  await expect(deliveries.getByText("Run ✓ completed")).toBeVisible();
  await deliveries.getByText("Body").click();
  await expect(deliveries.getByText('{"name":"Ada"}')).toBeVisible();

  // Its settings change in place: the same URL and secret now answer at once.
  await card.getByRole("button", { name: "Change settings of Orders from the shop" }).click();
  const settings = card.getByRole("form", { name: "Settings of Orders from the shop" });
  await settings.getByLabel("Answer").selectOption({ label: "At once, with the run's id (202)" });
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(settings).toHaveCount(0);
  expect((await post(url, JSON.stringify({ name: "Bo" }), { authorization: `Bearer ${secret}` })).status).toBe(202);

  // The run panel lists it as a webhook's run; the filter keeps only those.
  await page.getByRole("tab", { name: "Run" }).click();
  await page.getByLabel("Started by").selectOption({ label: "Webhook" });
  await expect(
    page
      .getByTestId("run-history")
      .getByText(/v1 · Webhook/)
      .first(),
  ).toBeVisible();
  await page.getByLabel("Started by").selectOption({ label: "Editor" });
  await expect(page.getByText("No runs started this way yet.")).toBeVisible();

  // Reloaded, the secret is gone for good; turned off, the URL answers 404.
  await page.reload();
  await page.getByRole("tab", { name: "Triggers" }).click();
  await expect(card.getByText("Copy the secret now: it is not shown again.")).toHaveCount(0);
  // The box changes in the click's own event: one that springs back until the answer comes looks unclicked.
  const box = card.getByLabel(/Accept deliveries/);
  expect(await box.evaluate((el: HTMLInputElement) => (el.click(), el.checked))).toBe(false);
  await expect(card.getByText("Off", { exact: true })).toBeVisible();
  await expect(box).not.toBeChecked();
  expect((await post(url, JSON.stringify({ name: "Ada" }), { authorization: `Bearer ${secret}` })).status).toBe(404);
  await page.screenshot({ path: "test-results/webhook-off.png" });
});
