import { audit } from "./support/axe";
import { expect, test } from "./support/fixtures";
import { signInToHome } from "./support/people";

/**
 * Reviews in evaluations, as a builder sets them: the workflow asks a person before it calls a
 * webhook (an HTTP step, pinned), and an evaluation asks nobody: with "Reject every review" its
 * cases take the rejected way; with a decision set for the step ("Always approved") they go on
 * to the pinned request, which answers when the run gets there; the case's run says who decided
 * and that the request was not made. The inbox stays empty.
 */
test("a builder chooses how evaluations decide reviews, and a step after the review is answered by its pin", async ({
  page,
  admin,
  adminApi,
}) => {
  const made = await adminApi.post("/api/workflows", {
    data: {
      name: "Reviewed webhook",
      graph: {
        nodes: [
          {
            id: "start",
            kind: "start",
            label: "Start",
            position: { x: 0, y: 0 },
            config: { fields: [{ name: "topic", type: "text", required: true }] },
          },
          {
            id: "check",
            kind: "human-review",
            label: "Check",
            position: { x: 300, y: 0 },
            config: { instructions: "Send it?", content: "{{nodes.start.output.topic}}", reviewerRole: "REVIEWER" },
          },
          {
            id: "notify",
            kind: "http",
            label: "Notify",
            position: { x: 600, y: 0 },
            config: { method: "POST", url: "https://hooks.example.test/sent" },
          },
          { id: "sent", kind: "output", label: "Sent", position: { x: 900, y: 0 }, config: { value: "sent" } },
          { id: "held", kind: "output", label: "Held", position: { x: 600, y: 200 }, config: { value: "held" } },
        ],
        edges: [
          { id: "e1", source: "start", target: "check" },
          { id: "e2", source: "check", target: "notify", sourceHandle: "approved" },
          { id: "e3", source: "notify", target: "sent" },
          { id: "e4", source: "check", target: "held", sourceHandle: "rejected" },
        ],
      },
    },
  });
  expect(made.status(), await made.text()).toBe(201);
  const wf = (await made.json()) as { id: string };
  for (const [path, data] of [
    [`/api/workflows/${wf.id}/cases`, { cases: [{ input: { topic: "otters" }, expected: "sent" }] }],
    [`/api/workflows/${wf.id}/pins/notify`, { output: { status: 200, body: "ok" } }],
    [`/api/workflows/${wf.id}/suite`, { evaluators: [{ kind: "exact" }], gate: null }],
  ] as const) {
    const res = path.endsWith("cases") ? await adminApi.post(path, { data }) : await adminApi.put(path, { data });
    expect(res.ok(), await res.text()).toBe(true);
  }

  await page.setViewportSize({ width: 1440, height: 900 });
  await signInToHome(page, admin);
  await page.goto(`/workflows/${wf.id}/tests`);
  const reviews = page.getByRole("form", { name: "Reviews in evaluations" });
  await expect(reviews.getByLabel("Decide reviews")).toHaveValue("recorded");
  await reviews.getByLabel("Decide reviews").selectOption({ label: "Reject every review" });
  await reviews.getByRole("button", { name: "Save review settings" }).click();
  await expect(reviews.getByRole("status")).toHaveText("Saved: the next evaluation decides reviews this way.");

  const runForm = page.getByRole("form", { name: "Run an evaluation" });
  const summary = page.getByTestId("evaluation-summary");
  const grid = page.getByRole("table", { name: "Results by case" });
  await runForm.getByRole("button", { name: "Run evaluation" }).click();
  await expect(summary).toContainText("completed · 0 of 1 passed (0%)", { timeout: 30_000 });
  await expect(grid).toContainText("Expected “sent”, got “held”.");

  // A decision set for the step wins over the policy: approved, the run goes on to the pinned request.
  await reviews.getByLabel("“Check”").selectOption({ label: "Always approved" });
  await reviews.getByRole("button", { name: "Save review settings" }).click();
  await expect(reviews.getByRole("status")).toBeVisible();
  await runForm.getByRole("button", { name: "Run evaluation" }).click();
  await expect(summary).toContainText("completed · 1 of 1 passed (100%)", { timeout: 30_000 });
  await page.screenshot({ path: "test-results/evaluation-reviews.png", fullPage: true });
  expect(await audit(page)).toEqual([]);

  await page.reload();
  await expect(reviews.getByLabel("“Check”")).toHaveValue("approved");
  await grid.getByRole("link", { name: "Open the run of case 1" }).click();
  await expect(page.getByText("a case of an evaluation (nothing reached outside)", { exact: false })).toBeVisible();
  await expect(page.getByRole("link", { name: "evaluation", exact: true })).toHaveAttribute(
    "href",
    `/workflows/${wf.id}/tests`,
  );
  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByText("approved by the evaluation (the decision set for this step)")).toBeVisible();
  await expect(timeline.getByText("pinned output")).toBeVisible();
  await page.screenshot({ path: "test-results/evaluation-review-run.png", fullPage: true });

  // Nobody was asked.
  const inbox = await adminApi.get("/api/reviews");
  expect(inbox.ok()).toBe(true);
  expect(JSON.stringify(await inbox.json())).not.toContain("Send it?");
});
