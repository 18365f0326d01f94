import { z } from "zod";
import { route } from "@/lib/api/route";
import { deletePolicy, savePolicy } from "@/lib/gateway/policies";
import { policyInputSchema } from "@/lib/schemas/guardrail-policy";

const params = z.object({ id: z.string().min(1).max(64) });

/** Changes a guardrail policy (installation owners). */
export const PUT = route({ permission: "member", params, body: policyInputSchema }, async ({ ctx, params, body }) => ({
  policy: await savePolicy(ctx, params.id, body),
}));

/** Removes a guardrail policy (installation owners). */
export const DELETE = route({ permission: "member", params }, async ({ ctx, params }) => {
  await deletePolicy(ctx, params.id);
  return { ok: true };
});
