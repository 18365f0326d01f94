import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { addCases, listCases } from "@/lib/evaluations/cases";
import { caseInputSchema } from "@/lib/schemas/evaluations";

const params = z.object({ id: z.string().min(1).max(64) });

/** The workflow's test cases, oldest first. */
export const GET = route({ permission: "workflows:read", params }, async ({ ctx, params }) => ({
  cases: await listCases(ctx.workspace.id, params.id),
}));

/** Adds typed test cases. */
export const POST = route(
  {
    permission: "workflows:write",
    params,
    body: z.object({ cases: z.array(caseInputSchema).min(1).max(100) }).strict(),
  },
  async ({ ctx, params, body }) => json({ cases: await addCases(ctx, params.id, body.cases) }, 201),
);
