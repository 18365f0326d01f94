import { z } from "zod";
import { route } from "@/lib/api/route";
import { deleteCase, updateCase } from "@/lib/evaluations/cases";

const params = z.object({ id: z.string().min(1).max(64) });

/** Changes a test case's expected output (null: none) or rubric. */
export const PATCH = route(
  {
    permission: "workflows:write",
    params,
    body: z.object({ expected: z.unknown().optional(), rubric: z.string().max(4000).optional() }).strict(),
  },
  async ({ ctx, params, body }) => ({ case: await updateCase(ctx, params.id, body) }),
);

export const DELETE = route({ permission: "workflows:write", params }, async ({ ctx, params }) => {
  await deleteCase(ctx, params.id);
  return { ok: true };
});
