import "server-only";
import { db } from "../db/client";
import { workflowGraphSchema, type WorkflowGraph } from "../schemas/workflow";
import { demoWorkflow } from "../workflows/demo-workflow";

/**
 * How far a workspace has come in its first minutes, read from what it holds (nothing is
 * stored for the checklist itself): has anything run, has anyone decided a review, is there a
 * reviewer (a member, or an invitation still open). `demo` is the demo workflow every new
 * workspace starts with, while it is there under its own name, to run from the home page.
 */
export interface FirstSteps {
  demo: { id: string; graph: WorkflowGraph } | null;
  ranARun: boolean;
  decidedAReview: boolean;
  hasAReviewer: boolean;
}

export async function firstSteps(workspaceId: string): Promise<FirstSteps> {
  const prisma = await db();
  const one = { select: { id: true } } as const;
  const [demo, run, review, reviewer, invitation] = await Promise.all([
    prisma.workflow.findFirst({
      where: { workspaceId, name: demoWorkflow.name, deletedAt: null },
      orderBy: { createdAt: "asc" },
      select: { id: true, graph: true },
    }),
    prisma.run.findFirst({ where: { workspaceId }, ...one }),
    prisma.review.findFirst({ where: { workspaceId, status: "DECIDED" }, ...one }),
    prisma.membership.findFirst({ where: { workspaceId, role: "REVIEWER", status: "ACTIVE" }, ...one }),
    prisma.invitation.findFirst({
      where: { workspaceId, role: "REVIEWER", acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      ...one,
    }),
  ]);
  const graph = demo ? workflowGraphSchema.safeParse(demo.graph) : null;
  return {
    demo: demo && graph?.success ? { id: demo.id, graph: graph.data } : null,
    ranARun: !!run,
    decidedAReview: !!review,
    hasAReviewer: !!reviewer || !!invitation,
  };
}
