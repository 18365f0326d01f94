import { expect, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { runOf, startDraftRun, waitForRunStatus } from "./runs-api";

/** A workflow Start → Human Review (with this config) → Output for approved, and another for rejected. */
export async function createReviewWorkflow(
  api: APIRequestContext,
  name: string,
  review: Record<string, unknown>,
): Promise<string> {
  const n = (id: string, kind: string, label: string, config: Record<string, unknown>, x: number, y = 0) => ({
    id,
    kind,
    label,
    position: { x: x * 260, y },
    config,
  });
  const res = await api.post("/api/workflows", {
    data: {
      name,
      graph: {
        nodes: [
          n("start", "start", "Start", { fields: [{ name: "topic", type: "string", required: false }] }, 0),
          n(
            "check",
            "human-review",
            "Check it",
            {
              instructions: "Check **this**.",
              content: "Notes on {{nodes.start.output.topic}}",
              reviewerRole: "REVIEWER",
              ...review,
            },
            1,
          ),
          n("ok", "output", "Approved", { value: "approved: {{nodes.check.output.text}}" }, 2, -80),
          n("no", "output", "Rejected", { value: "rejected: {{nodes.check.output.comment}}" }, 2, 80),
        ],
        edges: [
          { id: "e1", source: "start", target: "check" },
          { id: "e2", source: "check", target: "ok", sourceHandle: "approved" },
          { id: "e3", source: "check", target: "no", sourceHandle: "rejected" },
        ],
      },
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

/** Waits until a run waits for its review; returns the review's id. */
export async function waitForReview(api: APIRequestContext, runId: string): Promise<string> {
  await waitForRunStatus(api, runId, "WAITING");
  return (await runOf(api, runId)).reviews[0].id;
}

/** Starts a draft run and waits until it waits for its review; returns the run's and the review's ids. */
export async function runToReview(
  api: APIRequestContext,
  workflowId: string,
  topic = "kelp",
): Promise<{ runId: string; reviewId: string }> {
  const runId = await startDraftRun(api, workflowId, { topic });
  return { runId, reviewId: await waitForReview(api, runId) };
}

/**
 * In a reviewer's browser (`context`, closed after): the inbox lists the review whose content
 * holds `content`, its row saying `row`, and its page's line of who asked matching `meta`.
 */
export async function expectInInbox(
  context: BrowserContext,
  expected: { content: string; row: string; meta: RegExp },
): Promise<void> {
  const inbox = await context.newPage();
  await inbox.goto("/inbox");
  const item = inbox.getByTestId("inbox-item").filter({ hasText: expected.content });
  await expect(item).toContainText(expected.row);
  await item.click();
  await expect(inbox.getByTestId("review-meta")).toContainText(expected.meta);
  await context.close();
}
