import { afterAll, beforeAll, expect, it } from "vitest";
import { pointAtScratchDatabase, seedWorkspace } from "../support/process-database";
import type { Viewer } from "../../lib/auth/session";
import type { PrismaClient } from "../../lib/db/generated/client";

/**
 * Who may decide a review is written twice: `mayDecide` in TypeScript (the review page, the
 * decision) and `decidableBy` as a SQL filter (the inbox list and counts, paged in the
 * database). Every combination of person and review must get the same answer from both.
 */
let scratch: Awaited<ReturnType<typeof pointAtScratchDatabase>>;
let prisma: PrismaClient;
let reviews: typeof import("../../lib/review/reviews");
let people: Viewer[];

beforeAll(async () => {
  scratch = await pointAtScratchDatabase("mayDecide");
  prisma = await (await import("../../lib/db/client")).db();
  reviews = await import("../../lib/review/reviews");
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

it("mayDecide (TypeScript) and decidableBy (SQL) agree for every person and every kind of review", async () => {
  const workspaceId = people[0]!.workspace.id;
  const ids = people.map((p) => p.user.id);
  const rows: {
    id: string;
    reviewerRole: string;
    reviewerEmail: string;
    assigneeId: string | null;
    requesterId: string | null;
    allowSelfApproval: boolean;
  }[] = [];
  const run = await prisma.run.create({
    data: { workspaceId, workflowId: "wf", graph: { nodes: [], edges: [] }, input: {} },
  });
  for (const reviewerRole of ["REVIEWER", "ADMIN", "BUILDER"])
    for (const reviewerEmail of ["", "rita@example.com", "nobody@example.com"])
      for (const assigneeId of [null, ids[1]!, ids[0]!])
        for (const requesterId of [null, ids[0]!, ids[1]!])
          for (const allowSelfApproval of [false, true]) {
            const row = await prisma.review.create({
              data: {
                workspaceId,
                runId: run.id,
                nodeId: `n${rows.length}`,
                payload: {},
                reviewerRole,
                reviewerEmail,
                assigneeId,
                requesterId,
                allowSelfApproval,
              },
            });
            rows.push({ id: row.id, reviewerRole, reviewerEmail, assigneeId, requesterId, allowSelfApproval });
          }
  for (const viewer of people) {
    const inSql = new Set(
      (
        await prisma.review.findMany({
          where: { workspaceId, status: "PENDING", ...reviews.decidableBy(viewer) },
          select: { id: true },
        })
      ).map((r) => r.id),
    );
    const disagreements = rows
      .filter((r) => reviews.mayDecide(viewer, r) !== inSql.has(r.id))
      .map((r) => ({ viewer: viewer.user.email, ...r }));
    expect(disagreements).toEqual([]);
    // Not a vacuous agreement: each person may decide some and not others (the builder none).
    if (viewer.role !== "BUILDER") expect(inSql.size).toBeGreaterThan(0);
    expect(inSql.size).toBeLessThan(rows.length);
  }
});
