import { describe, expect, it } from "vitest";
import { deadlineSeconds, humanReviewConfigSchema, reviewerDefaults } from "./human-review";

describe("review deadlines", () => {
  it("reads durations people write", () => {
    expect(deadlineSeconds("30m")).toBe(1800);
    expect(deadlineSeconds("4h")).toBe(14_400);
    expect(deadlineSeconds("2d")).toBe(172_800);
    expect(deadlineSeconds(" 45s ")).toBe(45);
    expect(deadlineSeconds("")).toBeNull();
  });
  it("refuses nonsense, too short and too long, with a message saying what to write", () => {
    expect(deadlineSeconds("soon")).toBeNull();
    expect(deadlineSeconds("10ms")).toBeNull();
    expect(deadlineSeconds("400d")).toBeNull();
    const r = humanReviewConfigSchema.safeParse({ instructions: "Check", deadline: "tomorrow" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain("such as 30m, 4h or 2d");
  });
});

describe("whom a new review goes to", () => {
  it("goes to reviewers when the workspace has any, and the starter may not approve", () => {
    expect(reviewerDefaults({ ADMIN: 1, REVIEWER: 2 })).toEqual({ reviewerRole: "REVIEWER", allowSelfApproval: false });
  });
  it("goes to the admin of a fresh workspace, who may approve their own runs", () => {
    expect(reviewerDefaults({ ADMIN: 1 })).toEqual({ reviewerRole: "ADMIN", allowSelfApproval: true });
    expect(reviewerDefaults({ ADMIN: 1, BUILDER: 3 })).toEqual({ reviewerRole: "ADMIN", allowSelfApproval: true });
  });
  it("keeps four eyes when another admin can decide", () => {
    expect(reviewerDefaults({ ADMIN: 2 })).toEqual({ reviewerRole: "ADMIN", allowSelfApproval: false });
  });
});
