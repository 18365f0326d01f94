import { json, route } from "@/lib/api/route";
import { listPolicies, savePolicy } from "@/lib/gateway/policies";
import { policyInputSchema } from "@/lib/schemas/guardrail-policy";

/** The organization's guardrail policies and the workspaces they may cover (installation owners). */
export const GET = route({ permission: "member" }, async ({ ctx }) => listPolicies(ctx));

/** Adds a guardrail policy (installation owners). */
export const POST = route({ permission: "member", body: policyInputSchema }, async ({ ctx, body }) =>
  json({ policy: await savePolicy(ctx, null, body) }, 201),
);
