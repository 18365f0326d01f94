import { startFakeLlmServer } from "../test/support/fake-llm-server";
import { expect, test } from "@playwright/test";
import { newPerson, setUpFirstAdmin, signedInApi, signInToHome } from "./support/people";
import { RunPage } from "./support/run-page";
import { startStudio } from "./support/studio";
import { allowOwnProviders } from "./support/loopback-model";

/**
 * Known runs give known numbers: three completed runs on a priced model, one failed, one
 * waiting for review, on a studio of their own so nothing else is counted.
 */
test("the dashboard shows runs, completion and error rates, cost per run, pending reviews and frequent errors, for all workflows or one", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const llm = await startFakeLlmServer();
  llm.behave("priced", { kind: "answer", text: "A paid answer.", usage: { prompt: 1000, completion: 500 } });
  const studio = await startStudio();
  try {
    const admin = newPerson("Admin");
    await setUpFirstAdmin(studio.url, admin);
    const api = await signedInApi(studio.url, admin);
    await allowOwnProviders(api, llm.baseUrl);
    const { id: providerId } = await (
      await api.post("/api/admin/gateway/providers", {
        data: { name: "Loopback", kind: "OPENAI_COMPATIBLE", baseUrl: llm.baseUrl },
      })
    ).json();
    await api.post("/api/admin/gateway/models", {
      data: {
        name: "paid",
        inputPricePerMTok: 2,
        outputPricePerMTok: 10,
        allowedRoles: ["ADMIN"],
        deployments: [{ providerId, modelId: "priced" }],
      },
    });
    const n = (id: string, kind: string, config: Record<string, unknown>, x: number) => ({
      id,
      kind,
      label: id,
      position: { x, y: 0 },
      config,
    });
    const make = async (name: string, middle: ReturnType<typeof n>, handle?: string) =>
      (
        await (
          await api.post("/api/workflows", {
            data: {
              name,
              graph: {
                nodes: [n("start", "start", { fields: [] }, 0), middle, n("out", "output", { value: "done" }, 2)],
                edges: [
                  { id: "e1", source: "start", target: middle.id },
                  { id: "e2", source: middle.id, target: "out", ...(handle ? { sourceHandle: handle } : {}) },
                ],
              },
            },
          })
        ).json()
      ).id as string;
    const good = await make("Dash good", n("write", "agent", { model: "paid", instructions: "Write" }, 1));
    const bad = await make("Dash bad", n("write", "agent", { model: "missing-model", instructions: "Write" }, 1));
    const wait = await make("Dash wait", n("check", "human-review", { instructions: "Look" }, 1), "approved");
    const run = async (wf: string, status: string) => {
      const { id } = await (await api.post(`/api/workflows/${wf}/runs`, { data: { input: {}, mode: "draft" } })).json();
      await expect
        .poll(async () => (await (await api.get(`/api/runs/${id}`)).json()).status, { timeout: 20_000 })
        .toBe(status);
      return id as string;
    };
    const goodRun = await run(good, "COMPLETED");
    for (let i = 0; i < 2; i++) await run(good, "COMPLETED");
    await run(bad, "FAILED");
    await run(wait, "WAITING");

    const context = await browser.newContext({ baseURL: studio.url });
    const page = await context.newPage();
    await signInToHome(page, admin);
    await page.setViewportSize({ width: 1440, height: 1100 });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
    await expect(page.getByTestId("dash-runs")).toHaveText("5");
    await expect(page.getByTestId("dash-completion")).toHaveText("75%"); // 3 of the 4 that ended
    await expect(page.getByTestId("dash-errors")).toHaveText("25%");
    // Each good run: 1000 in × $2/M + 500 out × $10/M = $0.007; 3 runs over 5 = $0.0042 a run.
    await expect(page.getByTestId("dash-cost")).toHaveText("$0.0042");
    await expect(page.getByText("$0.0210 in all")).toBeVisible();
    await expect(page.getByTestId("dash-tokens")).toHaveText("3,000 / 1,500");
    await expect(page.getByTestId("dash-reviews")).toHaveText("1");
    await expect(page.getByTestId("dash-errors-list")).toContainText(
      "There is no model “missing-model” in this workspace",
    );
    await expect(page.getByTestId("dash-models")).toContainText("paid");
    await expect(page.getByTestId("dash-by-workflow").locator("tr", { hasText: "Dash good" })).toContainText("$0.0070");
    await expect(page.getByTestId("dash-slowest")).toContainText("write");
    await page.screenshot({ path: "test-results/screens/dashboard.png", fullPage: true });

    await page.getByLabel("Workflow").selectOption({ label: "Dash good" });
    await expect(page.getByTestId("dash-runs")).toHaveText("3");
    await expect(page.getByTestId("dash-completion")).toHaveText("100%");
    await expect(page.getByTestId("dash-cost")).toHaveText("$0.0070");
    // The run's trace: the model call inside its step, with its deployment, tokens and cost.
    const runPage = new RunPage(page);
    await runPage.open(goodRun);
    await expect(runPage.span("write")).toContainText("model paid · priced");
    await expect(runPage.span("write")).toContainText("1500 tokens · $0.0070");
    await page.screenshot({ path: "test-results/screens/run-trace.png" });
    const apiView = await (await api.get(`/api/dashboard?days=1&workflowId=${bad}`)).json();
    expect(apiView.totals).toMatchObject({ runs: 1, failed: 1, errorRate: 1, completionRate: 0 });
    await api.dispose();
    await context.close();
  } finally {
    await studio.stop();
    await llm.close();
  }
});
