import { afterAll, beforeAll, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";
import type { PrismaClient } from "../../lib/db/generated/client";
import type { Decidable } from "../../lib/review/review-rules";

/**
 * Who may decide a review, and who may see it, are each written twice: `mayDecide` and
 * `maySee` in TypeScript (the review page and its API, comments, the decision) and
 * `decidableBy` and `visibleTo` as SQL filters (the inbox list and counts, the history, paged
 * in the database). Every combination of person and review must get the same answer from both.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let prisma: PrismaClient;
let reviews: typeof import("../../lib/review/review-rules");
let people: Viewer[];

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("mayDecide");
  prisma = await (await import("../../lib/db/client")).db();
  reviews = await import("../../lib/review/review-rules");
  people = [
    ...(await seedWorkspace(prisma, "perm", [
      { email: "ada@example.com", role: "ADMIN" },
      { email: "rita@example.com", role: "REVIEWER" },
      { email: "bob@example.com", role: "BUILDER" },
      { email: "remy@example.com", role: "REVIEWER" },
    ])),
  ];
});
afterAll(async () => {
  await scratch?.done();
});

type Row = Decidable & { id: string };

/** Every kind of review: for each role or a named person, claimed or not, whose run, decided by whom. */
async function seedGrid(): Promise<Row[]> {
  const workspaceId = people[0]!.workspace.id;
  const ids = people.map((p) => p.user.id);
  const run = await prisma.run.create({
    data: { workspaceId, workflowId: "wf", graph: { nodes: [], edges: [] }, input: {} },
  });
  const rows: Omit<Row, "id">[] = [];
  for (const reviewerRole of ["REVIEWER", "ADMIN", "BUILDER"])
    for (const reviewerEmail of ["", "rita@example.com", "nobody@example.com"])
      for (const assigneeId of [null, ids[1]!, ids[0]!])
        for (const requesterId of [null, ids[0]!, ids[1]!])
          for (const allowSelfApproval of [false, true])
            for (const decidedById of [null, ids[1]!, ids[3]!])
              rows.push({ reviewerRole, reviewerEmail, assigneeId, requesterId, allowSelfApproval, decidedById });
  await prisma.review.createMany({
    data: rows.map((r, i) => ({
      ...r,
      workspaceId,
      runId: run.id,
      nodeId: `n${i}`,
      payload: {},
      status: r.decidedById ? "DECIDED" : "PENDING",
    })),
  });
  const stored = await prisma.review.findMany({ where: { runId: run.id } });
  return stored.map((r) => ({
    id: r.id,
    reviewerRole: r.reviewerRole,
    reviewerEmail: r.reviewerEmail,
    assigneeId: r.assigneeId,
    requesterId: r.requesterId,
    allowSelfApproval: r.allowSelfApproval,
    decidedById: r.decidedById,
  }));
}

it("mayDecide (TypeScript) and decidableBy (SQL), maySee and visibleTo, agree for every person and review", async () => {
  const workspaceId = people[0]!.workspace.id;
  const rows = await seedGrid();
  const pending = rows.filter((r) => !r.decidedById);
  const ids = async (where: object) =>
    new Set(
      (await prisma.review.findMany({ where: { workspaceId, ...where }, select: { id: true } })).map((r) => r.id),
    );
  for (const viewer of people) {
    const decidable = await ids({ status: "PENDING", ...reviews.decidableBy(viewer) });
    const visible = await ids(reviews.visibleTo(viewer));
    const disagreements = [
      ...pending
        .filter((r) => reviews.mayDecide(viewer, r) !== decidable.has(r.id))
        .map((r) => ({ rule: "decide", viewer: viewer.user.email, ...r })),
      ...rows
        .filter((r) => reviews.maySee(viewer, r) !== visible.has(r.id))
        .map((r) => ({ rule: "see", viewer: viewer.user.email, ...r })),
    ];
    expect(disagreements).toEqual([]);
    // Not a vacuous agreement: each person may decide and see some and not others (the
    // builder decides none), and whoever may decide a review may see it.
    if (viewer.role !== "BUILDER") expect(decidable.size).toBeGreaterThan(0);
    expect(decidable.size).toBeLessThan(pending.length);
    expect(visible.size).toBeGreaterThan(0);
    if (viewer.role !== "ADMIN") expect(visible.size).toBeLessThan(rows.length);
    expect([...decidable].filter((id) => !visible.has(id))).toEqual([]);
  }
});

it("a reviewer may neither see nor decide a review only admins may decide; the admin may", () => {
  const [ada, rita] = people;
  const forAdmins = {
    reviewerRole: "ADMIN",
    reviewerEmail: "",
    assigneeId: null,
    requesterId: null,
    allowSelfApproval: false,
    decidedById: null,
  };
  expect(reviews.maySee(rita!, forAdmins)).toBe(false);
  expect(reviews.mayDecide(rita!, forAdmins)).toBe(false);
  expect(reviews.maySee(ada!, forAdmins)).toBe(true);
  expect(reviews.mayDecide(ada!, forAdmins)).toBe(true);
  // Rita decided it once (before it was handed on): she may still see her decision.
  expect(reviews.maySee(rita!, { ...forAdmins, decidedById: rita!.user.id })).toBe(true);
});
