import { request } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { fromAccountMenu, signInToHome } from "./support/people";
import { momentIn } from "./support/moment-in";

test.use({ timezoneId: "Pacific/Kiritimati" });

test("an API key made in the UI starts and follows a run, in two requests or one; once revoked it stops working", async ({
  page,
  admin,
  adminApi,
  studio,
}) => {
  await signInToHome(page, admin);
  await fromAccountMenu(page, "API keys");
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
  await expect(page.getByTestId("api-keys-empty")).toBeVisible();

  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByText(/Name the key after what uses it/)).toBeVisible();
  // The admin sees the workspace's application keys' form too: this is the personal one.
  await page.getByRole("form", { name: "New personal key" }).getByLabel("Name").fill("Nightly report");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("api-key-value").textContent())!.trim();
  expect(key).toMatch(/^fdk_/);
  await expect(page.getByTestId("api-key-row")).toContainText("Nightly report");
  await expect(page.getByTestId("api-key-row")).toContainText(key.slice(0, 8));
  await expect(page.getByTestId("api-key-row")).not.toContainText(key); // never listed again
  await page.screenshot({ path: "test-results/screens/api-keys.png" });

  // An integration, with no session: only the key.
  const { workflows } = await (await adminApi.get("/api/workflows")).json();
  const demo = workflows.find((w: { name: string }) => w.name.startsWith("Demo: research brief"));
  const integration = await request.newContext({
    baseURL: studio.url,
    extraHTTPHeaders: { authorization: `Bearer ${key}` },
  });
  const noKey = await request.newContext({ baseURL: studio.url });
  expect(
    (await noKey.post(`/api/workflows/${demo.id}/runs`, { data: { input: { topic: "x" }, mode: "draft" } })).status(),
  ).toBe(401);
  const bad = await integration.post(`/api/workflows/${demo.id}/runs`, {
    data: { input: { topic: 3 }, mode: "draft" },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toContain("topic");
  const started = await integration.post(`/api/workflows/${demo.id}/runs`, {
    data: { input: { topic: "coral reefs" }, mode: "draft" },
  });
  expect(started.status(), await started.text()).toBe(201);
  const { id } = await started.json();
  await expect
    .poll(async () => (await (await integration.get(`/api/runs/${id}`)).json()).status, { timeout: 20_000 })
    .toBe("WAITING");
  // Follow its events with the key: the stream replays what happened so far.
  const stream = await fetch(`${studio.url}/api/runs/${id}/events`, { headers: { authorization: `Bearer ${key}` } });
  expect(stream.headers.get("content-type")).toBe("text/event-stream");
  const reader = stream.body!.getReader();
  let text = "";
  while (!text.includes('"type":"run.waiting"')) text += new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  expect(text).toContain('"type":"step.completed","nodeId":"research"');
  const run = await (await integration.get(`/api/runs/${id}`)).json();
  expect(run.steps.find((s: { nodeId: string }) => s.nodeId === "research").status).toBe("done");

  expect((await integration.post(`/api/runs/${id}/cancel`, { data: {} })).status()).toBe(200);
  await expect.poll(async () => (await (await integration.get(`/api/runs/${id}`)).json()).status).toBe("CANCELLED");

  // Start and follow in one request: the answer is the run's event stream, from its first event.
  const oneRequest = (body: unknown) =>
    fetch(`${studio.url}/api/workflows/${demo.id}/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, accept: "text/event-stream", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const refused = await oneRequest({ input: { topic: 3 }, mode: "draft" });
  expect(refused.status).toBe(400);
  expect((await refused.json()).error.message).toContain("topic");
  const streamed = await oneRequest({ input: { topic: "kelp forests" }, mode: "draft" });
  expect(streamed.status).toBe(201);
  // Served by the fast lane (lib/api/fast-lane.ts), with the headers every response carries.
  expect(streamed.headers.get("x-flowdeck-lane")).toBe("fast");
  expect(streamed.headers.get("x-content-type-options")).toBe("nosniff");
  expect(streamed.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  expect(streamed.headers.get("x-request-id")).toBeTruthy();
  expect(streamed.headers.get("content-type")).toBe("text/event-stream");
  const location = streamed.headers.get("location")!;
  expect(location).toMatch(/^\/api\/runs\/.+/);
  const live = streamed.body!.getReader();
  let events = "";
  while (!events.includes('"type":"run.waiting"')) events += new TextDecoder().decode((await live.read()).value);
  await live.cancel();
  // From the run's first event; its fields come in the order of the path that carried it (the
  // table's replay, or the live notice that can beat it on the embedded database).
  const first = /^retry: 1000\n\nid: 1\ndata: (.*)\n/.exec(events);
  expect(JSON.parse(first![1]!)).toMatchObject({ seq: 1, type: "run.started" });
  expect(events).toContain('"type":"step.completed","nodeId":"research"');
  expect((await integration.post(`${location}/cancel`, { data: {} })).status()).toBe(200);
  await expect.poll(async () => (await (await integration.get(location)).json()).status).toBe("CANCELLED");

  await page.reload();
  await expect(page.getByTestId("api-key-last-used")).not.toHaveText("never");
  // Its times are written as everywhere in the studio, in the reader's own zone (14 hours ahead here).
  const lastUsed = page.getByTestId("api-key-last-used").locator("time");
  const usedAt = new Date((await lastUsed.getAttribute("datetime"))!);
  expect(Date.now() - usedAt.getTime()).toBeLessThan(5 * 60_000);
  await expect(lastUsed).toHaveText(momentIn(usedAt, "Pacific/Kiritimati"));

  // Asked first, in the studio's own dialog; Cancel keeps the key.
  await page.getByRole("button", { name: "Revoke" }).click();
  const asked = page.getByRole("dialog", { name: /^Revoke “.+”\?$/ });
  await expect(asked).toContainText("Anything using it stops working at once.");
  await asked.getByRole("button", { name: "Cancel" }).click();
  await expect(asked).toBeHidden();
  await expect(page.getByTestId("api-key-last-used")).toBeVisible();
  await page.getByRole("button", { name: "Revoke" }).click();
  await asked.getByRole("button", { name: "Revoke" }).click();
  await expect(asked).toBeHidden();
  await expect(page.getByTestId("api-keys-empty")).toBeVisible();
  const revoked = await integration.get(`/api/runs/${id}`);
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).error.message).toMatch(/API key is not valid/);
  await integration.dispose();
  await noKey.dispose();
});
