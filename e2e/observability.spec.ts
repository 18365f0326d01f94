import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { EditorPage } from "./support/editor-page";
import { newPerson, setUpFirstAdmin, signedInApi, signInToHome } from "./support/people";
import { RunPage } from "./support/run-page";
import { startDraftRun, waitForRunStatus } from "./support/runs-api";
import { startStudio } from "./support/studio";

const n = (id: string, kind: string, config: Record<string, unknown>, x: number) => ({
  id,
  kind,
  label: id,
  position: { x: x * 260, y: 0 },
  config,
});
const graph = (instructions: string) => ({
  nodes: [
    n("start", "start", { fields: [] }, 0),
    n("draft", "agent", { model: "demo", instructions }, 1),
    n("out", "output", { value: "{{nodes.draft.output.text}}" }, 2),
  ],
  edges: [
    { id: "e1", source: "start", target: "draft" },
    { id: "e2", source: "draft", target: "out" },
  ],
});

async function runTimes(
  api: APIRequestContext,
  workflowId: string,
  times: number,
  mode: "published" | "draft" = "published",
) {
  for (let i = 0; i < times; i++) {
    const { id } = await (await api.post(`/api/workflows/${workflowId}/runs`, { data: { input: {}, mode } })).json();
    await waitForRunStatus(api, id, "COMPLETED");
  }
}

async function publish(api: APIRequestContext, workflowId: string, note: string) {
  const { revision } = await (await api.get(`/api/workflows/${workflowId}`)).json();
  const res = await api.post(`/api/workflows/${workflowId}/versions`, { data: { note, revision } });
  expect(res.status(), await res.text()).toBe(201);
}

test("the canvas shows each step's median time and cost over recent runs, and two published versions compare side by side", async ({
  page,
  adminApi,
  admin,
}) => {
  const { id } = await (
    await adminApi.post("/api/workflows", {
      data: { name: "Observed workflow", graph: graph("Write one line about otters.") },
    })
  ).json();
  await publish(adminApi, id, "first");
  await runTimes(adminApi, id, 2);
  const { revision } = await (await adminApi.get(`/api/workflows/${id}`)).json();
  expect(
    (
      await adminApi.put(`/api/workflows/${id}/draft`, {
        data: { graph: graph("Write three lines about otters, with sources."), revision },
      })
    ).status(),
  ).toBe(200);
  await publish(adminApi, id, "longer");
  await runTimes(adminApi, id, 3);

  // The overlay on the canvas.
  await signInToHome(page, admin);
  const editor = new EditorPage(page);
  await editor.open(id);
  await expect(editor.node("draft")).toBeVisible();
  await expect(page.getByTestId("node-stats")).toHaveCount(0);
  await editor.toggleStats();
  await expect(page.getByTestId("stats-banner")).toContainText("over the last 5 runs");
  const strip = editor.statsOf("draft");
  await expect(strip).toContainText("5 runs");
  await expect(strip).toContainText(/median \d+(\.\d)? (ms|s)/);
  await expect(strip).toContainText("$0"); // the demo model is free
  await page.screenshot({ path: "test-results/screens/canvas-stats.png" });
  await editor.toggleStats();
  await expect(page.getByTestId("node-stats")).toHaveCount(0);

  // Two versions side by side on the dashboard.
  await page.goto("/dashboard");
  await page.getByLabel("Workflow").selectOption({ label: "Observed workflow" });
  const compare = page.getByTestId("version-compare");
  await expect(compare.getByLabel("Version A")).toHaveValue("1");
  await expect(compare.getByLabel("Version B")).toHaveValue("2");
  const runsRow = compare.getByTestId("compare-totals").getByRole("row").filter({ hasText: "Runs started" });
  await expect(runsRow).toContainText(/Runs started\s*2\s*3/);
  await expect(runsRow).toContainText("+50%");
  await expect(
    compare.getByTestId("compare-totals").getByRole("row").filter({ hasText: "Completion rate" }),
  ).toContainText(/100%\s*100%/);
  await expect(compare.getByTestId("compare-steps").getByRole("row").filter({ hasText: "draft" })).toBeVisible();
  await page.screenshot({ path: "test-results/screens/version-compare.png", fullPage: true });

  const api = await (await adminApi.get(`/api/dashboard/compare?workflowId=${id}&a=1&b=2`)).json();
  expect(api.a.totals.runs).toBe(2);
  expect(api.b.totals.runs).toBe(3);
  expect(api.b.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(["draft"]);
  const same = await adminApi.get(`/api/dashboard/compare?workflowId=${id}&a=2&b=2`);
  expect(same.status()).toBe(400);
  expect(await same.text()).toContain("Pick two different versions");
  const stats = await (await adminApi.get(`/api/workflows/${id}/node-stats?last=3`)).json();
  expect(stats.runs).toBe(3);
  expect(stats.nodes.draft.runs).toBe(3);
});

test("with OTEL_EXPORTER_OTLP_ENDPOINT set, a run's spans reach the collector in one trace, and its log lines carry the run and step ids", async () => {
  test.setTimeout(90_000);
  const bodies: string[] = [];
  const collector = createServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => (raw += d.toString()));
    req.on("end", () => {
      if (req.url === "/v1/traces") bodies.push(raw);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const studio = await startStudio({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    LOG_LEVEL: "info",
  });
  try {
    const admin = newPerson("Admin");
    await setUpFirstAdmin(studio.url, admin);
    const api = await signedInApi(studio.url, admin);
    const { id } = await (
      await api.post("/api/workflows", { data: { name: "Traced", graph: graph("Say hello.") } })
    ).json();
    const runId = await startDraftRun(api, id);
    await waitForRunStatus(api, runId, "COMPLETED");

    type OtlpSpan = {
      traceId: string;
      spanId: string;
      parentSpanId?: string;
      name: string;
      attributes: { key: string; value: Record<string, unknown> }[];
    };
    const spans = () =>
      bodies.flatMap((b) =>
        (JSON.parse(b) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap((r) =>
          r.scopeSpans.flatMap((s) => s.spans),
        ),
      );
    await expect
      .poll(() => spans().map((s) => s.name), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(["workflow.run " + id, "step draft", "chat demo", "step out"]));
    const all = spans().filter((s) =>
      s.attributes.some((a) => a.key === "flowdeck.run.id" && Object.values(a.value)[0] === runId),
    );
    expect(new Set(all.map((s) => s.traceId)).size).toBe(1); // one trace
    const chat = all.find((s) => s.name === "chat demo")!;
    const step = all.find((s) => s.name === "step draft")!;
    expect(chat.parentSpanId).toBe(step.spanId); // nested under its step
    expect(chat.attributes.map((a) => a.key)).toEqual(
      expect.arrayContaining([
        "gen_ai.operation.name",
        "gen_ai.request.model",
        "gen_ai.usage.input_tokens",
        "gen_ai.usage.output_tokens",
        "flowdeck.cost_usd",
      ]),
    );

    // Structured logs: each step's lines name the run and the step.
    const lines = studio
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { runId?: string; nodeId?: string; msg?: string });
    expect(lines.some((l) => l.runId === runId && l.nodeId === "draft" && l.msg === "step.completed")).toBe(true);
    expect(lines.some((l) => l.runId === runId && l.nodeId === "out" && l.msg === "step.completed")).toBe(true);
    await api.dispose();
  } finally {
    await studio.stop();
    await new Promise((r) => collector.close(r));
  }
});

test("the run trace opens a step's input and output; a large value is cut short with a way to see all", async ({
  page,
  adminApi,
  admin,
}) => {
  const long = `${"word ".repeat(1200)}THE-END`;
  const g = {
    nodes: [
      n("start", "start", { fields: [{ name: "text", type: "string", required: true }] }, 0),
      n("out", "output", { value: "{{nodes.start.output.text}}" }, 1),
    ],
    edges: [{ id: "e1", source: "start", target: "out" }],
  };
  const { id } = await (await adminApi.post("/api/workflows", { data: { name: "Big values", graph: g } })).json();
  const runId = await startDraftRun(adminApi, id, { text: long });
  await waitForRunStatus(adminApi, runId, "COMPLETED");
  await signInToHome(page, admin);
  const runPage = new RunPage(page);
  await runPage.open(runId);
  await runPage.openStep("start");
  await expect(runPage.stepOutput("start")).not.toContainText("THE-END");
  await runPage.showAll("start", /Show all \(6,0\d\d characters\)/);
  await expect(runPage.stepOutput("start")).toContainText("THE-END");
  // Linked from elsewhere (the inbox): ?step= opens that step.
  await runPage.open(runId, "out");
  await expect(runPage.stepDetail("out")).toBeVisible();
  await page.screenshot({ path: "test-results/screens/run-step-detail.png", fullPage: true });
});
