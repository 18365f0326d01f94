import type { APIRequestContext } from "@playwright/test";
import { audit } from "./support/axe";
import { expect, test } from "./support/fixtures";
import { newPerson, setUpFirstAdmin, signedInApi, signInToHome } from "./support/people";
import { startStudio } from "./support/studio";
import { startWorkerProcess, type WorkerProcess } from "./support/worker-process";

/**
 * Schedules: a cron expression in a time zone starts the published version at each tick. With
 * two worker processes on one PostgreSQL (and no worker in the studio), each tick of a schedule
 * every 5 seconds starts exactly one run; in the editor, a builder sees the expression in words
 * and its next five times before adding it, and its ticks after.
 */
async function publishedEcho(api: APIRequestContext): Promise<string> {
  const graph = {
    nodes: [
      {
        id: "start",
        kind: "start",
        label: "Start",
        position: { x: 0, y: 0 },
        config: { fields: [{ name: "topic", type: "string", required: true }] },
      },
      {
        id: "out",
        kind: "output",
        label: "Out",
        position: { x: 260, y: 0 },
        config: { value: "digest of {{nodes.start.output.topic}}" },
      },
    ],
    edges: [{ id: "e1", source: "start", target: "out" }],
  };
  const created = await api.post("/api/workflows", { data: { name: `Digest ${Date.now()}`, graph } });
  expect(created.status(), await created.text()).toBe(201);
  const { id, revision } = await created.json();
  expect((await api.post(`/api/workflows/${id}/versions`, { data: { revision, note: "" } })).status()).toBe(201);
  return id;
}

type Delivery = { status: number; runId: string | null; idempotencyKey: string | null };

test("every 5 seconds with two worker processes: exactly one run per tick, none after it is turned off", async () => {
  test.skip(!process.env.DATABASE_URL, "worker processes need PostgreSQL (DATABASE_URL)");
  test.setTimeout(150_000);
  const studio = await startStudio({ FLOWDECK_IN_PROCESS_WORKER: "false" });
  const workers: WorkerProcess[] = [];
  const admin = newPerson("Admin");
  await setUpFirstAdmin(studio.url, admin);
  const api = await signedInApi(studio.url, admin);
  try {
    workers.push(...(await Promise.all([startWorkerProcess(studio), startWorkerProcess(studio)])));
    const workflowId = await publishedEcho(api);
    const res = await api.post(`/api/workflows/${workflowId}/triggers`, {
      data: {
        kind: "schedule",
        name: "Every 5 s",
        config: { cron: "*/5 * * * * *", timezone: "UTC", input: { topic: "kelp" } },
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    const { id } = await res.json();
    const deliveries = async (): Promise<Delivery[]> =>
      (await (await api.get(`/api/triggers/${id}/deliveries`)).json()).deliveries;
    await expect
      .poll(async () => (await deliveries()).filter((d) => d.status === 202).length, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(4);
    expect((await api.patch(`/api/triggers/${id}`, { data: { enabled: false } })).status()).toBe(200);
    await new Promise((r) => setTimeout(r, 7_000)); // a tick after it was turned off would show by now

    const ticks = await deliveries();
    const started = ticks.filter((d) => d.status === 202);
    const times = started.map((d) => Date.parse(d.idempotencyKey!.replace(/^tick:/, ""))).sort((a, b) => a - b);
    // One delivery per tick, each a run, the ticks 5 s apart with none missed or doubled.
    expect(ticks.every((d) => d.status === 202 && d.runId)).toBe(true);
    expect(new Set(times).size).toBe(times.length);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual(times.slice(1).map(() => 5_000));
    const runs = (await (await api.get(`/api/workflows/${workflowId}/runs?trigger=schedule`)).json()).runs;
    expect(runs).toHaveLength(started.length);
    expect(new Set(runs.map((r: { id: string }) => r.id))).toEqual(new Set(started.map((d) => d.runId)));
    for (const r of runs)
      await expect.poll(async () => (await (await api.get(`/api/runs/${r.id}`)).json()).status).toBe("COMPLETED");
    // Both workers were up throughout: every tick was one run with two takers for each.
    expect(workers.every((w) => !w.exited())).toBe(true);
  } finally {
    await Promise.all(workers.map((w) => w.kill("SIGKILL")));
    await api.dispose();
    await studio.stop();
  }
});

test("a builder adds a schedule in the editor: the expression in words, the next five times, its ticks", async ({
  page,
  admin,
  adminApi,
}) => {
  test.setTimeout(90_000);
  const workflowId = await publishedEcho(adminApi);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.goto(`/workflows/${workflowId}`);
  await page.getByRole("tab", { name: "Triggers" }).click();
  await page.getByRole("button", { name: "Add schedule" }).click();
  const form = page.getByRole("form", { name: "New schedule" });
  await form.getByLabel("Name").fill("Morning digest");
  await expect(form.getByText("At 09:00, Monday through Friday")).toBeVisible();
  await form.getByLabel("Time zone").selectOption("Asia/Tokyo");
  await expect(form.getByRole("list", { name: "Next five runs" }).getByRole("listitem")).toHaveCount(5);
  await expect(form.getByRole("list", { name: "Next five runs" }).getByRole("listitem").first()).toContainText(
    "9:00:00",
  );

  // A wrong expression is named under the field, and the form says why it cannot be added.
  await form.getByLabel("Cron expression").fill("every morning");
  await expect(form.getByText(/^Not a cron expression/)).toBeVisible();
  await form.getByLabel("Cron expression").fill("* * * * * *");
  await expect(form.getByText("At most one tick every 5 seconds")).toBeVisible();

  await form.getByLabel("Cron expression").fill("*/5 * * * * *");
  await expect(form.getByText("Every 5 seconds")).toBeVisible();
  await form.getByLabel("Input (the Start fields, as JSON)").fill('{"topic":"kelp"}');
  await form.getByLabel("Ticks missed while no worker was up").selectOption({ label: "Run once for all of them" });
  await page.screenshot({ path: "test-results/schedule-form.png" });
  await form.getByRole("button", { name: "Add schedule" }).click();

  const card = page.getByRole("region", { name: "Morning digest" });
  await expect(card.getByText(/Schedule · Every 5 seconds \(Asia\/Tokyo\) · missed ticks run once/)).toBeVisible();
  await expect(card.getByRole("list", { name: "Next runs of Morning digest" }).getByRole("listitem")).toHaveCount(5);
  const ticks = card.getByRole("list", { name: "Recent ticks" });
  await expect(ticks.getByText("202 Accepted").first()).toBeVisible({ timeout: 30_000 });
  expect(await audit(page)).toEqual([]);
  await card.getByLabel(/Run on schedule/).uncheck();
  await expect(card.getByText("Off", { exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/schedule-card.png" });

  // Its settings change in place, filled in with what it has; its ticks stay.
  await card.getByRole("button", { name: "Change settings of Morning digest" }).click();
  const settings = card.getByRole("form", { name: "Settings of Morning digest" });
  await expect(settings.getByLabel("Input (the Start fields, as JSON)")).toHaveValue('{"topic":"kelp"}');
  await expect(settings.getByLabel("Time zone")).toHaveValue("Asia/Tokyo");
  await settings.getByLabel("Start from").selectOption({ label: "Mondays at 08:00" });
  const words = await settings
    .getByRole("list", { name: "Next five runs" })
    .locator("xpath=..")
    .locator("p")
    .first()
    .textContent();
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(settings).toHaveCount(0);
  await expect(card.getByText(`Schedule · ${words} (Asia/Tokyo) · missed ticks run once`)).toBeVisible();
  await expect(ticks.getByText("202 Accepted").first()).toBeVisible();
  await ticks.getByRole("link").first().click();
  await expect(page.getByText("digest of kelp").first()).toBeVisible();
});
