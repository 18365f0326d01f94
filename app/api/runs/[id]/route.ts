import { z } from "zod";
import { route } from "@/lib/api/route";
import { withReviewAccess } from "@/lib/review/review-access";
import { getRun } from "@/lib/runs/read-runs";

export const GET = route(
  { permission: "workflows:read", apiKey: true, params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => withReviewAccess(ctx, await getRun(ctx.workspace.id, params.id)),
);
