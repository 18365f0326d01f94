import { startFakeLlmServer, type FakeLlmServer } from "../test/support/fake-llm-server";
import { audit } from "./support/axe";
import { EditorPage } from "./support/editor-page";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { signInToHome } from "./support/people";
import { allowOwnProviders, forgetLoopbackDestinations } from "./support/loopback-model";
import { ReviewPage } from "./support/review-page";
import { runOf, waitForRunStatus } from "./support/runs-api";

/**
 * A workflow's cost cap per run, as a builder sets it: in the editor's Versions tab, a run whose
 * next model call could pass the cap stops before the call reaches the provider, and says why.
 */
let llm: FakeLlmServer;
test.beforeAll(async () => {
  llm = await startFakeLlmServer();
});
test.afterEach(async ({ adminApi }) => forgetLoopbackDestinations(adminApi));
test.afterAll(async () => {
  await llm?.close();
});

/**
 * The workspace's own provider on the loopback server and a model on it, open to admins: up to
 * 1,000 output tokens at $10 per million, so a call may cost up to about $0.01.
 */
async function pricedModel(api: APIRequestContext, provider: string, name: string, modelId: string) {
  await allowOwnProviders(api, llm.baseUrl);
  const made = await api.post("/api/admin/gateway/providers", {
    data: { name: provider, kind: "OPENAI_COMPATIBLE", baseUrl: llm.baseUrl },
  });
  expect(made.status(), await made.text()).toBe(201);
  const model = await api.post("/api/admin/gateway/models", {
    data: {
      name,
      allowedRoles: ["ADMIN"],
      inputPricePerMTok: 2,
      outputPricePerMTok: 10,
      deployments: [{ providerId: (await made.json()).id, modelId }],
    },
  });
  expect(model.status(), await model.text()).toBe(201);
}

test("a run stops at its cost cap before the model call goes out, says so, and runs again once the cap is cleared", async ({
  page,
  admin,
  adminApi,
}) => {
  llm.behave("capped-model", { kind: "answer", text: "A priced answer.", usage: { prompt: 100, completion: 50 } });
  await pricedModel(adminApi, "Cost cap LLM", "priced", "capped-model");
  const created = await adminApi.post("/api/workflows", {
    data: {
      name: "Capped summary",
      graph: {
        nodes: [
          { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
          {
            id: "write",
            kind: "agent",
            label: "Write",
            position: { x: 260, y: 0 },
            config: { model: "priced", instructions: "Write a summary" },
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
  expect(created.status(), await created.text()).toBe(201);
  const wf = await created.json();

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  const editor = new EditorPage(page);
  await editor.open(wf.id);
  await editor.versions.show();
  const cap = page.getByLabel("Cost cap per run (USD)");
  await expect(cap).toHaveValue("");
  // Zero is not a cap: the field says so.
  await cap.fill("0");
  await page.getByRole("button", { name: "Save cap" }).click();
  await expect(page.getByRole("status").filter({ hasText: "more than $0" })).toBeVisible();
  await cap.fill("0.005");
  await page.getByRole("button", { name: "Save cap" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved: each run may spend up to $0.005." })).toBeVisible();
  expect(await audit(page)).toEqual([]);
  await page.screenshot({ path: "test-results/screens/run-cost-cap.png" });

  await editor.run.start();
  await editor.run.expectStatus("failed", { timeout: 20_000 });
  await expect(editor.run.step("write")).toContainText("Cost cap reached: this run may spend $0.0050 on models");
  expect(llm.calls("capped-model")).toBe(0);
  await page.screenshot({ path: "test-results/screens/run-cost-cap-failed.png" });

  // The cap kept after a reload; cleared, the run goes through.
  await page.reload();
  await editor.versions.show();
  await expect(cap).toHaveValue("0.005");
  await cap.fill("");
  await page.getByRole("button", { name: "Save cap" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved: runs have no cost cap." })).toBeVisible();
  await editor.run.start();
  await editor.run.expectStatus("completed", { timeout: 20_000 });
  await expect(editor.run.output()).toContainText("A priced answer.");
  expect(llm.calls("capped-model")).toBe(1);
});

test("a run waits at its cost cap for an admin, who raises it from the inbox, and the run goes on", async ({
  page,
  admin,
  adminApi,
}) => {
  test.slow(); // the editor, a run that waits, the inbox and the run page: near a minute beside another worker
  llm.behave("waiting-model", { kind: "answer", text: "Worth the wait.", usage: { prompt: 100, completion: 50 } });
  await pricedModel(adminApi, "Cost cap review LLM", "priced-review", "waiting-model");
  const node = (id: string, kind: string, config: Record<string, unknown>, x: number) => ({
    id,
    kind,
    label: id[0]!.toUpperCase() + id.slice(1),
    position: { x, y: 0 },
    config,
  });
  const created = await adminApi.post("/api/workflows", {
    data: {
      name: "Capped, waiting",
      graph: {
        nodes: [
          node("start", "start", { fields: [] }, 0),
          node("write", "agent", { model: "priced-review", instructions: "Write a summary" }, 260),
          node("out", "output", { value: "{{nodes.write.output.text}}" }, 520),
        ],
        edges: [
          { id: "e1", source: "start", target: "write" },
          { id: "e2", source: "write", target: "out" },
        ],
      },
    },
  });
  const wf = await created.json();

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  const editor = new EditorPage(page);
  await editor.open(wf.id);
  await editor.versions.show();
  await page.getByLabel("Cost cap per run (USD)").fill("0.005");
  await page.getByRole("button", { name: "Save cap" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved: each run may spend up to $0.005." })).toBeVisible();
  const whenReached = page.getByLabel("When a run reaches it");
  await whenReached.selectOption({ label: "Wait for an admin to raise the cap, then go on" });
  await expect(whenReached).toHaveValue("REVIEW");
  expect(await audit(page)).toEqual([]);

  await editor.run.start();
  await editor.run.expectStatus("waiting", { timeout: 20_000 });
  expect(llm.calls("waiting-model")).toBe(0);

  // The inbox has it, for admins: the cap, the spend, what the next call could cost.
  const { items } = await (await adminApi.get("/api/reviews")).json();
  const item = items.find((r: { workflowName: string }) => r.workflowName === "Capped, waiting");
  const review = new ReviewPage(page);
  await review.open(item.id);
  await expect(review.instructions()).toContainText(
    /This run reached its cost cap: it may spend \$0\.0050 on models, \$0\.00 is spent, and the agent Write's next call could cost up to \$0\.01\d\d\./,
  );
  await review.editJson();
  const newCap = review.jsonField("New cost cap for this run (USD)");
  await expect(newCap).toHaveValue("0.02");
  // Not above the cap: the inbox says so, and the review keeps waiting.
  await newCap.fill("0.001");
  await review.approveWithEdits();
  await expect(page.getByText("“New cost cap for this run (USD)” must be more than 0.005")).toBeVisible();
  await newCap.fill("0.05");
  await page.screenshot({ path: "test-results/screens/run-cost-cap-review.png", fullPage: true });
  expect(await audit(page)).toEqual([]);
  await review.approveWithEdits();
  await waitForRunStatus(adminApi, item.runId, "COMPLETED");
  expect((await runOf(adminApi, item.runId)).output).toBe("Worth the wait.");
  expect(llm.calls("waiting-model")).toBe(1);
});
