import "server-only";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import type { Viewer } from "../auth/session";
import { AppError, notFound } from "../errors/app-error";
import { getRun } from "../runs/read-runs";
import { runTriggerOf, type RunTrigger } from "../schemas/run";
import { can } from "../schemas/permissions";
import { decidableBy, mayDecide, maySee, visibleTo, whyNot } from "./review-rules";
import { asShown, nameIn, namesIn, shownFields } from "../workspaces/member-names";
import { parseReviewDecision, parseReviewRequest, type InboxQuery, type ReviewDecision } from "../schemas/review";

/**
 * A review of the viewer's workspace that they may see: 404 when the workspace has no such
 * review, 403 saying whom it is for when it is not for them.
 */
export async function visibleReview(viewer: Viewer, id: string) {
  const prisma = await db();
  const row = await prisma.review.findFirst({ where: { id, workspaceId: viewer.workspace.id } });
  if (!row) throw notFound("Review");
  if (!maySee(viewer, row)) {
    const assignee = row.assigneeId ? await nameIn(viewer.workspace.id, row.assigneeId) : null;
    throw new AppError("forbidden", whyNot(viewer, row, assignee) ?? "This review is not for you.");
  }
  return row;
}

export interface ReviewListItem {
  id: string;
  runId: string;
  workflowName: string;
  stepLabel: string;
  instructions: string;
  /** What there is to review, shortened: what tells one review of a step from the next. */
  content: string;
  /** What started the run (a chat, a form, the editor, ...). */
  trigger: RunTrigger;
  createdAt: string;
  dueAt: string | null;
  /** Who has it (claimed or assigned), or null when it is open to the role. */
  assignee: string | null;
  assignedToMe: boolean;
  /** Who it is for when nobody has it: a role, or a person's email. */
  audience: string;
  escalated: boolean;
}

export interface InboxPage {
  items: ReviewListItem[];
  /** How many match the filters, and how many wait for this person at all. */
  total: number;
  all: number;
  workflows: { id: string; name: string }[];
  pageSize: number;
}

const summary = (markdown: string) =>
  markdown
    .replace(/[*_`#>]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
/** Text as `summary` shortens it; JSON as it is written, its spaces closed up (no underscore taken out). */
const contentSummary = (content: unknown) =>
  content === null || content === undefined
    ? ""
    : typeof content === "string"
      ? summary(content)
      : (JSON.stringify(content) ?? "").slice(0, 200);

/** Pending reviews this person may decide, filtered and sorted in the database, a page at a time. */
export async function listPendingReviews(viewer: Viewer, query: Partial<InboxQuery> = {}): Promise<InboxPage> {
  const prisma = await db();
  const pageSize = query.pageSize ?? 50;
  const base: Prisma.ReviewWhereInput = { workspaceId: viewer.workspace.id, status: "PENDING", ...decidableBy(viewer) };
  const filters: Prisma.ReviewWhereInput[] = [];
  if (query.workflow) filters.push({ workflowId: query.workflow });
  if (query.assignee === "me") filters.push({ assigneeId: viewer.user.id });
  if (query.assignee === "unassigned") filters.push({ assigneeId: null });
  if (query.assignee === "others") filters.push({ assigneeId: { not: null } }, { assigneeId: { not: viewer.user.id } });
  if (query.age) filters.push({ createdAt: { lte: new Date(Date.now() - query.age * 1000) } });
  if (query.due === "overdue") filters.push({ dueAt: { lte: new Date() } });
  if (query.due === "soon") filters.push({ dueAt: { lte: new Date(Date.now() + 86_400_000) } });
  const where: Prisma.ReviewWhereInput = filters.length ? { AND: [base, ...filters] } : base;
  const orderBy: Prisma.ReviewOrderByWithRelationInput[] =
    query.sort === "deadline"
      ? [{ dueAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }]
      : query.sort === "newest"
        ? [{ createdAt: "desc" }]
        : [{ createdAt: "asc" }];
  const [rows, total, all, workflowIds] = await Promise.all([
    prisma.review.findMany({
      where,
      orderBy,
      take: pageSize,
      skip: ((query.page ?? 1) - 1) * pageSize,
      select: {
        id: true,
        runId: true,
        nodeId: true,
        payload: true,
        createdAt: true,
        dueAt: true,
        assigneeId: true,
        reviewerRole: true,
        reviewerEmail: true,
        workflowId: true,
        escalatedAt: true,
      },
    }),
    prisma.review.count({ where }),
    filters.length ? prisma.review.count({ where: base }) : null,
    prisma.review.findMany({ where: base, distinct: ["workflowId"], select: { workflowId: true } }),
  ]);
  const ids = [
    ...new Set(
      [...workflowIds.map((w) => w.workflowId), ...rows.map((r) => r.workflowId)].filter((x): x is string => !!x),
    ),
  ];
  const [workflows, people, runs] = await Promise.all([
    prisma.workflow.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
    }),
    namesIn(
      viewer.workspace.id,
      rows.map((r) => r.assigneeId),
    ),
    prisma.run.findMany({
      where: { workspaceId: viewer.workspace.id, id: { in: rows.map((r) => r.runId) } },
      select: { id: true, trigger: true },
    }),
  ]);
  const triggerOf = new Map(runs.map((r) => [r.id, runTriggerOf(r.trigger)]));
  const nameOf = new Map(workflows.map((w) => [w.id, w.name]));
  const personOf = people;
  return {
    items: rows.map((r) => {
      const request = parseReviewRequest(r.id, r.payload);
      return {
        id: r.id,
        runId: r.runId,
        workflowName: (r.workflowId && nameOf.get(r.workflowId)) ?? "Deleted workflow",
        stepLabel: request.stepLabel ?? r.nodeId,
        instructions: summary(request.instructions ?? ""),
        content: contentSummary(request.content),
        trigger: triggerOf.get(r.runId) ?? "api",
        createdAt: r.createdAt.toISOString(),
        dueAt: r.dueAt?.toISOString() ?? null,
        assignee: r.assigneeId ? (personOf.get(r.assigneeId) ?? "someone") : null,
        assignedToMe: r.assigneeId === viewer.user.id,
        audience: r.reviewerEmail || `${r.reviewerRole.toLowerCase()}s`,
        escalated: !!r.escalatedAt,
      };
    }),
    total,
    all: all ?? total,
    workflows,
    pageSize,
  };
}

/** How many reviews wait for this person (the navigation's badge). */
export async function countPendingReviews(viewer: Viewer): Promise<number> {
  const prisma = await db();
  return prisma.review.count({
    where: { workspaceId: viewer.workspace.id, status: "PENDING", ...decidableBy(viewer) },
  });
}

/**
 * One review with what the reviewer needs to decide: the request, who asked and when, who has
 * it, the deadline, the comments, and the run so far (input and each finished step).
 */
export async function getReview(viewer: Viewer, id: string) {
  const prisma = await db();
  const row = await visibleReview(viewer, id);
  const request = parseReviewRequest(row.id, row.payload);
  const run = await getRun(viewer.workspace.id, row.runId);
  const commentRows = await prisma.reviewComment.findMany({
    where: { reviewId: id },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  const userIds = [row.assigneeId, row.requesterId, row.decidedById, ...commentRows.map((c) => c.authorId)].filter(
    (x): x is string => !!x,
  );
  const personOf = await namesIn(row.workspaceId, userIds);
  const assignee = row.assigneeId ? (personOf.get(row.assigneeId) ?? "someone") : null;
  const decidable = mayDecide(viewer, row);
  // Whom it can be handed to: active members who could then decide it.
  const members =
    row.status === "PENDING" && (decidable || viewer.role === "ADMIN")
      ? await prisma.membership.findMany({
          where: { workspaceId: viewer.workspace.id, status: "ACTIVE" },
          select: {
            userId: true,
            role: true,
            ...shownFields,
            user: { select: { ...shownFields.user.select, email: true } },
          },
        })
      : [];
  return {
    id: row.id,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decidedBy: row.decidedById ? (personOf.get(row.decidedById) ?? null) : null,
    decision: parseReviewDecision(row.id, row.decision),
    request,
    stepLabel: request.stepLabel ?? row.nodeId,
    requestedBy: row.requesterId ? (personOf.get(row.requesterId) ?? null) : null,
    dueAt: row.dueAt?.toISOString() ?? null,
    onExpiry: row.onExpiry,
    escalateToRole: row.escalateToRole,
    escalated: !!row.escalatedAt,
    audience: row.reviewerEmail || `${row.reviewerRole.toLowerCase()}s`,
    assignee,
    assignedToMe: row.assigneeId === viewer.user.id,
    mayDecide: decidable,
    /** Claim, release and hand over: for those who may decide it, and admins. */
    mayAssign: row.status === "PENDING" && (decidable || viewer.role === "ADMIN"),
    whyNot: whyNot(viewer, row, assignee),
    handTo: members
      .filter(
        (m) =>
          m.role !== "BUILDER" &&
          m.userId !== row.assigneeId &&
          !(m.userId === row.requesterId && !row.allowSelfApproval),
      )
      .map((m) => ({ id: m.userId, name: asShown(m, m.user).name, email: m.user.email, role: m.role }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    comments: commentRows.map((c) => ({
      id: c.id,
      author: personOf.get(c.authorId) ?? "someone",
      mine: c.authorId === viewer.user.id,
      body: c.body,
      createdAt: c.createdAt.toISOString(),
    })),
    /** The run page is for builders and admins; reviewers see the run so far here. */
    canOpenRun: can(viewer.role, "workflows:read"),
    /** The next review waiting for this person (for "next item"), oldest first. */
    nextId: await nextReviewId(viewer, row.id),
    run: {
      id: run.id,
      workflowName: run.workflowName,
      trigger: run.trigger,
      input: run.input,
      steps: run.steps
        .filter((s) => s.status === "done")
        .map((s) => ({
          nodeId: s.nodeId,
          label: run.labels[s.nodeId] ?? s.nodeId,
          output: s.output,
          endedAt: s.endedAt ?? null,
        })),
    },
  };
}
export type ReviewDetail = Awaited<ReturnType<typeof getReview>>;

async function nextReviewId(viewer: Viewer, besides: string): Promise<string | null> {
  const prisma = await db();
  const next = await prisma.review.findFirst({
    where: { workspaceId: viewer.workspace.id, status: "PENDING", id: { not: besides }, ...decidableBy(viewer) },
    orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
    select: { id: true },
  });
  return next?.id ?? null;
}

export interface DecidedReview {
  id: string;
  runId: string;
  workflowName: string;
  stepLabel: string;
  outcome: string;
  comment: string;
  decidedBy: string;
  decidedAt: string;
  createdAt: string;
  /** The content as it was asked about, and as approved, when the reviewer edited it. */
  edit: { before: string; after: string } | null;
}

const asText = (v: unknown) =>
  v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 2);

/** Decided reviews of the workspace this person may see, newest first: who, when, what, and what they changed. */
export async function listDecidedReviews(
  viewer: Viewer,
  options: { outcome?: string; take?: number } = {},
): Promise<{ items: DecidedReview[]; outcomes: string[] }> {
  const prisma = await db();
  const where: Prisma.ReviewWhereInput = { workspaceId: viewer.workspace.id, status: "DECIDED", ...visibleTo(viewer) };
  const rows = await prisma.review.findMany({
    where: options.outcome ? { ...where, decision: { path: ["outcome"], equals: options.outcome } } : where,
    orderBy: [{ decidedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
    take: options.take ?? 100,
  });
  const outcomes = await prisma.$queryRaw<
    { outcome: string }[]
  >`SELECT DISTINCT "decision"->>'outcome' AS outcome FROM "Review" WHERE "workspaceId" = ${viewer.workspace.id} AND "status" = 'DECIDED' AND "decision"->>'outcome' IS NOT NULL ORDER BY 1`;
  const workflows = await prisma.workflow.findMany({
    where: { id: { in: rows.map((r) => r.workflowId).filter((x): x is string => !!x) } },
    select: { id: true, name: true },
  });
  const personOf = await namesIn(
    viewer.workspace.id,
    rows.map((r) => r.decidedById),
  );
  const nameOf = new Map(workflows.map((w) => [w.id, w.name]));
  const items = rows.map((r) => {
    const request = parseReviewRequest(r.id, r.payload);
    const decision: Partial<ReviewDecision> = parseReviewDecision(r.id, r.decision) ?? {};
    const before = asText(request.content);
    const after = asText(decision.content);
    return {
      id: r.id,
      runId: r.runId,
      workflowName: (r.workflowId && nameOf.get(r.workflowId)) ?? "Deleted workflow",
      stepLabel: request.stepLabel ?? r.nodeId,
      outcome: decision.outcome ?? "—",
      comment: decision.comment ?? "",
      decidedBy:
        (r.decidedById && personOf.get(r.decidedById)) ||
        decision.reviewer ||
        (decision.outcome === "cancelled" ? "(run cancelled)" : "—"),
      decidedAt: (r.decidedAt ?? r.createdAt).toISOString(),
      createdAt: r.createdAt.toISOString(),
      edit:
        decision.content !== undefined && decision.outcome !== "cancelled" && after !== before
          ? { before, after }
          : null,
    };
  });
  return { items, outcomes: outcomes.map((o) => o.outcome) };
}
