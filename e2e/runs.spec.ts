import { expect, test } from "./support/fixtures";
import { EditorPage } from "./support/editor-page";
import { addMember, signedInApi, signInToHome } from "./support/people";
import { waitForReview } from "./support/reviews";
import { RunPage } from "./support/run-page";
import { demoWorkflowId, runOf, startDraftRun, waitForRunStatus } from "./support/runs-api";

test("run the demo from the editor: steps light up live, the run waits for approval, and completes once approved @smoke", async ({
  page,
  admin,
  adminApi,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  const editor = new EditorPage(page);
  await editor.open(await demoWorkflowId(adminApi));

  await editor.run.openDialog();
  await editor.run.submit();
  await expect(editor.run.dialog()).toContainText("is required");
  // Said with the field, for screen readers too.
  await expect(editor.run.dialog().getByLabel("topic")).toHaveAccessibleDescription(/“topic” is required/);
  await expect(editor.run.dialog().getByLabel("topic")).toHaveAttribute("aria-invalid", "true");
  await editor.run.fillInput({ topic: "tide pools" });
  await editor.run.submit();

  await expect(editor.run.panel()).toBeVisible();
  await editor.run.expectStepOnCanvas("research", /running|done/);
  await expect(editor.run.step("research")).toContainText("[Simulated demo model]");
  await editor.run.expectStatus("waiting", { timeout: 20_000 });
  await editor.run.expectStepOnCanvas("approve", "waiting");
  await editor.run.expectStepOnCanvas("draft", "done");
  await page.screenshot({ path: "test-results/screens/run-waiting.png" });

  await editor.run.approve("approve");
  await editor.run.expectStatus("completed");
  await expect(editor.run.output()).toContainText("[Simulated demo model] Response to:");
  await editor.run.expectStepOnCanvas("rejected", "skipped");
  await editor.run.expectStepOnCanvas("result", "done");
  await expect(editor.run.history().getByText("completed").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/run-completed.png" });

  // Run again with the same input: it stops at the review again.
  await editor.run.runAgain();
  await editor.run.expectStatus("waiting", { timeout: 20_000 });
  await editor.run.openRunPage();
  const runPage = new RunPage(page);
  await runPage.expectStatus("waiting");
  await expect(runPage.input()).toContainText("tide pools");
  await runPage.expectStepStatus("research", "done");
  await runPage.expectStepStatus("approve", "waiting");
  await page.screenshot({ path: "test-results/screens/run-page.png" });
  await page.goBack();

  await editor.backToWorkflows();
  await expect(
    page.getByTestId("workflow-row").filter({ hasText: "Demo: research brief" }).getByTestId("workflow-last-run"),
  ).toContainText("waiting");
});

test("the run API: input checked against the Start fields, one decision per review, and the event stream replays from Last-Event-ID", async ({
  studio,
  adminApi,
}) => {
  const id = await demoWorkflowId(adminApi);
  const bad = await adminApi.post(`/api/workflows/${id}/runs`, {
    data: { input: { topic: 7, extra: 1 }, mode: "draft" },
  });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.fields.map((f: { path: string }) => f.path)).toEqual([
    "body.input.topic",
    "body.input.extra",
  ]);
  const unpublished = await adminApi.post(`/api/workflows/${id}/runs`, { data: { input: { topic: "x" } } });
  expect((await unpublished.json()).error.message).toMatch(/no published version yet/);

  const runId = await startDraftRun(adminApi, id, { topic: "moss" });
  const reviewId = await waitForReview(adminApi, runId);

  const reviewer = await addMember(adminApi, "REVIEWER");
  const reviewerApi = await signedInApi(studio.url, reviewer);
  const [first, second] = await Promise.all([
    reviewerApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved", content: "Edited by Rita" } }),
    adminApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "rejected", comment: "Not this time" } }),
  ]);
  expect([first.status(), second.status()].sort()).toEqual([200, 409]);
  const loser = first.status() === 409 ? first : second;
  expect((await loser.json()).error.message).toMatch(/^Already decided by /);
  await expect.poll(async () => (await runOf(adminApi, runId)).status, { timeout: 20_000 }).toMatch(/COMPLETED/);

  // A builder cannot decide: the role lacks reviews:decide.
  const builderApi = await signedInApi(studio.url, await addMember(adminApi, "BUILDER"));
  expect((await builderApi.post(`/api/reviews/${reviewId}/decision`, { data: { outcome: "approved" } })).status()).toBe(
    403,
  );

  // Replay: everything after event 5, ending with run.completed.
  const stream = await adminApi.get(`/api/runs/${runId}/events`, { headers: { "last-event-id": "5" } });
  const ids = [...(await stream.text()).matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  expect(ids[0]).toBe(6);
  expect(ids).toEqual([...ids].sort((a, b) => a - b));
  await Promise.all([reviewerApi.dispose(), builderApi.dispose()]);
});

test("an orchestrator runs its specialists as sub-workflows; a workflow that calls itself is stopped", async ({
  adminApi,
}) => {
  const { id } = await (await adminApi.post("/api/workflows/templates/research-report")).json();
  const runId = await startDraftRun(adminApi, id, { question: "Should we adopt solar?" });
  await waitForRunStatus(adminApi, runId, "COMPLETED", 30_000);
  const run = await runOf(adminApi, runId);
  expect(run.output).toMatch(/^\[Simulated demo model\] Response to: “Write a clear report from:/);
  expect(
    run.steps.filter((s: { kind: string; status: string }) => s.kind === "sub-workflow" && s.status === "done"),
  ).toHaveLength(3);

  // A workflow whose sub-workflow step points at itself.
  const me = await (await adminApi.post("/api/workflows", { data: { name: `Ouroboros ${Date.now()}` } })).json();
  const graph = {
    nodes: [
      { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
      {
        id: "again",
        kind: "sub-workflow",
        label: "Again",
        position: { x: 200, y: 0 },
        config: { workflowId: me.id, inputs: [] },
      },
      { id: "out", kind: "output", label: "Out", position: { x: 400, y: 0 }, config: { value: "done" } },
    ],
    edges: [
      { id: "e1", source: "start", target: "again" },
      { id: "e2", source: "again", target: "out" },
    ],
  };
  expect((await adminApi.put(`/api/workflows/${me.id}/draft`, { data: { graph, revision: 1 } })).status()).toBe(200);
  expect((await adminApi.post(`/api/workflows/${me.id}/versions`, { data: { note: "", revision: 2 } })).status()).toBe(
    201,
  );
  const { id: loopRun } = await (await adminApi.post(`/api/workflows/${me.id}/runs`, { data: { input: {} } })).json();
  await waitForRunStatus(adminApi, loopRun, "FAILED");
  expect((await runOf(adminApi, loopRun)).error).toMatch(/a workflow cannot call itself/);
});

test("the Classify and route template takes the billing branch for a billing question and the general branch for another, with the demo model", async ({
  adminApi,
}) => {
  const { id } = await (await adminApi.post("/api/workflows/templates/classify-route")).json();
  const branchTaken = async (request: string) => {
    const runId = await startDraftRun(adminApi, id, { request });
    await waitForRunStatus(adminApi, runId, "COMPLETED", 30_000);
    const run = await runOf(adminApi, runId);
    return run.steps
      .filter((s: { nodeId: string; status: string }) => s.status === "done" && s.nodeId.endsWith("_answer"))
      .map((s: { nodeId: string }) => s.nodeId);
  };
  expect(await branchTaken("A question about my billing statement")).toEqual(["billing_answer"]);
  expect(await branchTaken("Can you help me plan a trip?")).toEqual(["general_answer"]);
});

test("a failed run is retried from its failed step after a fix: finished steps are reused, not run again", async ({
  page,
  admin,
  adminApi,
}) => {
  const wf = await (await adminApi.post("/api/workflows", { data: { name: `Retry ${Date.now()}` } })).json();
  const agent = (id: string, model: string, instructions: string, x: number) => ({
    id,
    kind: "agent",
    label: id,
    position: { x, y: 0 },
    config: { model, instructions, tools: [], maxSteps: 1, outputSchema: "", useRunMemory: false },
  });
  const graph = {
    nodes: [
      { id: "start", kind: "start", label: "Start", position: { x: 0, y: 0 }, config: { fields: [] } },
      agent("research", "demo", "Find facts", 260),
      agent("summarise", "not-configured", "Summarise {{nodes.research.output.text}}", 520),
      {
        id: "out",
        kind: "output",
        label: "Out",
        position: { x: 780, y: 0 },
        config: { value: "{{nodes.summarise.output.text}}" },
      },
    ],
    edges: [
      { id: "e1", source: "start", target: "research" },
      { id: "e2", source: "research", target: "summarise" },
      { id: "e3", source: "summarise", target: "out" },
    ],
  };
  expect((await adminApi.put(`/api/workflows/${wf.id}/draft`, { data: { graph, revision: 1 } })).status()).toBe(200);

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  const editor = new EditorPage(page);
  await editor.open(wf.id);
  await editor.run.start();
  await editor.run.expectStatus("failed", { timeout: 20_000 });
  await expect(editor.run.step("summarise")).toContainText("There is no model “not-configured” in this workspace");
  const { runs } = await (await adminApi.get(`/api/workflows/${wf.id}/runs`)).json();
  const failed = await runOf(adminApi, runs[0].id);

  // Fix the failing step, then retry.
  await editor.select("summarise");
  await expect(editor.field("Model")).toHaveValue("not-configured"); // shown as not available
  await editor.field("Model").selectOption("demo");
  await editor.saved();
  await editor.run.retryFromFailedStep();
  await editor.run.expectStatus("completed", { timeout: 20_000 });

  const latest = (await (await adminApi.get(`/api/workflows/${wf.id}/runs`)).json()).runs[0];
  const retried = await runOf(adminApi, latest.id);
  const research = (r: { steps: { nodeId: string; startedAt: number }[] }) =>
    r.steps.find((s) => s.nodeId === "research")!.startedAt;
  expect(research(retried)).toBe(research(failed)); // the same step, reused: not run again
  expect(retried.output).toMatch(/^\[Simulated demo model\] Response to: “Summarise \[Simulated demo model\]/);
});

test("bad graphs are refused at start with a 400 naming the problem; a step that throws fails with its message and the server carries on", async ({
  adminApi,
}) => {
  const n = (id: string, kind: string, config: Record<string, unknown> = {}) => ({
    id,
    kind,
    label: id,
    position: { x: 0, y: 0 },
    config,
  });
  const start = n("start", "start", { fields: [] });
  const a = n("a", "agent", { model: "demo", instructions: "loop" });
  const b = n("b", "agent", { model: "demo", instructions: "loop" });
  // A cycle can be saved as a draft (people build step by step) but not run.
  const cyclic = await (
    await adminApi.post("/api/workflows", {
      data: {
        name: "Cycle",
        graph: {
          nodes: [start, a, b],
          edges: [
            { id: "1", source: "start", target: "a" },
            { id: "2", source: "a", target: "b" },
            { id: "3", source: "b", target: "a" },
          ],
        },
      },
    })
  ).json();
  const refused = await adminApi.post(`/api/workflows/${cyclic.id}/runs`, { data: { input: {}, mode: "draft" } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.message).toMatch(/^The workflow cannot run: .*(cycle|loop)/i);

  const unknownKind = await adminApi.post("/api/workflows", {
    data: { name: "Unknown", graph: { nodes: [start, n("x", "teleport")], edges: [] } },
  });
  expect(unknownKind.status()).toBe(400);
  expect((await unknownKind.json()).error.message).toMatch(/graph\.nodes\.1\.kind/);
  const missing = await adminApi.post("/api/workflows", {
    data: { name: "Missing", graph: { nodes: [start], edges: [{ id: "e", source: "start", target: "ghost" }] } },
  });
  expect(missing.status()).toBe(400);
  expect((await missing.json()).error.message).toContain('points to a node that does not exist: "ghost"');
  const huge = await adminApi.post("/api/workflows", {
    data: { name: "Huge", graph: { nodes: Array.from({ length: 2001 }, (_, i) => n(`n${i}`, "note")), edges: [] } },
  });
  expect(huge.status()).toBe(400);
  expect((await huge.json()).error.message).toContain("at most 2000 nodes");

  // A condition whose expression fails when evaluated: its step fails with the evaluator's message.
  const throwing = await (
    await adminApi.post("/api/workflows", {
      data: {
        name: "Throws",
        graph: {
          nodes: [
            start,
            n("check", "condition", { branches: [{ id: "yes", expression: "$number('not a number') > 1" }] }),
            n("out", "output", { value: "x" }),
          ],
          edges: [
            { id: "1", source: "start", target: "check" },
            { id: "2", source: "check", target: "out", sourceHandle: "yes" },
            { id: "3", source: "check", target: "out", sourceHandle: "else" },
          ],
        },
      },
    })
  ).json();
  const runId = await startDraftRun(adminApi, throwing.id);
  await waitForRunStatus(adminApi, runId, "FAILED");
  const failed = await runOf(adminApi, runId);
  expect(failed.steps.find((s: { nodeId: string }) => s.nodeId === "check")).toMatchObject({ status: "failed" });
  expect(failed.error).toMatch(/check failed: .+/);
  expect((await adminApi.get("/api/health")).status()).toBe(200);
});

test("a run waiting for a person is cancelled from its page; the step it waited at reads stopped, with nothing left to decide", async ({
  page,
  admin,
  adminApi,
}) => {
  const runId = await startDraftRun(adminApi, await demoWorkflowId(adminApi), { topic: "kelp forests" });
  await waitForRunStatus(adminApi, runId, "WAITING");
  await signInToHome(page, admin);
  await page.goto(`/runs/${runId}`);
  const approve = page.getByTestId("timeline-approve");
  await expect(approve).toContainText("waiting for a person");
  // Asked first: keeping it running changes nothing.
  await page.getByRole("button", { name: "Cancel run" }).click();
  const asked = page.getByRole("dialog", { name: "Cancel this run?" });
  await expect(asked).toContainText("a review it waits for leaves the inbox");
  await asked.getByRole("button", { name: "Keep running" }).click();
  await expect(asked).toHaveCount(0);
  await expect(page.getByTestId("run-detail-status")).toHaveText("waiting");
  await page.getByRole("button", { name: "Cancel run" }).click();
  await asked.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByTestId("run-detail-status")).toHaveText("cancelled");
  await expect(approve).toContainText("stopped");
  await expect(approve).not.toContainText("waiting");
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/screens/run-cancelled-while-waiting.png" });
});

test("a JSON input that is not JSON is said in the Run dialog before anything starts; JSON runs", async ({
  page,
  admin,
  adminApi,
}) => {
  const node = (id: string, kind: string, config: Record<string, unknown>, x: number) => ({
    id,
    kind,
    label: id === "start" ? "Start" : "Names",
    position: { x, y: 0 },
    config,
  });
  const created = await adminApi.post("/api/workflows", {
    data: {
      name: `JSON input ${Date.now()}`,
      graph: {
        nodes: [
          node("start", "start", { fields: [{ name: "names", type: "json", required: true }] }, 0),
          node("out", "output", { value: "{{nodes.start.output.names}}" }, 300),
        ],
        edges: [{ id: "e1", source: "start", target: "out" }],
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  await signInToHome(page, admin);
  const editor = new EditorPage(page);
  await editor.open((await created.json()).id);
  await editor.run.openDialog();
  await expect(editor.run.dialog().getByLabel("names")).toHaveAttribute("placeholder", 'JSON, such as ["Ann", "Bob"]');
  await editor.run.fillInput({ names: "Ann, Bob" });
  await editor.run.submit();
  await expect(editor.run.dialog()).toContainText('Not valid JSON: write a list as ["Ann", "Bob"]');
  await expect(editor.run.dialog().getByLabel("names")).toHaveAttribute("aria-invalid", "true");
  await editor.run.fillInput({ names: '["Ann", "Bob"]' });
  await editor.run.submit();
  await editor.run.expectStatus("completed", { timeout: 20_000 });
  await expect(editor.run.output()).toContainText("Ann");
});
