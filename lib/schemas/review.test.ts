import { describe, expect, it } from "vitest";
import { cancelledDecision, parseReviewDecision, parseReviewRequest } from "./review";

describe("a Review row's JSON, parsed", () => {
  it("reads a decision, and nothing while undecided", () => {
    const decision = { outcome: "approved", content: "ok", comment: "", reviewer: "Rita" };
    expect(parseReviewDecision("r1", decision)).toEqual(decision);
    expect(parseReviewDecision("r1", null)).toBeNull();
  });

  it("reads the old shape of a cancelled run's decision as the full one", () => {
    expect(parseReviewDecision("r1", { outcome: "cancelled" })).toEqual(cancelledDecision);
  });

  it("refuses a decision or request that does not have its shape, naming the review", () => {
    expect(() => parseReviewDecision("r9", { outcome: "approved" })).toThrow(/Review r9 has an unreadable decision/);
    expect(() => parseReviewRequest("r9", { runId: "x" })).toThrow(/Review r9 has an unreadable request/);
  });

  it("keeps what a request carries beyond the known fields (an agent's paused conversation)", () => {
    const request = {
      runId: "r",
      nodeId: "n",
      instructions: "i",
      content: null,
      reviewerRole: "REVIEWER",
      reviewerEmail: "",
      editable: false,
      outcomes: ["approved"],
      pending: { toolCallId: "t" },
    };
    expect(parseReviewRequest("r1", request)).toMatchObject({ pending: { toolCallId: "t" } });
  });
});
