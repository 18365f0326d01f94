import { z } from "zod";
import { route } from "@/lib/api/route";
import { getSuite, saveSuite } from "@/lib/evaluations/read-evaluations";
import { suiteInputSchema } from "@/lib/schemas/evaluations";

const params = z.object({ id: z.string().min(1).max(64) });

/** The workflow's evaluators and publish gate. */
export const GET = route({ permission: "workflows:read", params }, async ({ ctx, params }) => ({
  suite: await getSuite(ctx.workspace.id, params.id),
}));

export const PUT = route(
  { permission: "workflows:write", params, body: suiteInputSchema },
  async ({ ctx, params, body }) => ({ suite: await saveSuite(ctx, params.id, body) }),
);
