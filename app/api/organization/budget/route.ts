import { route } from "@/lib/api/route";
import { saveOrganizationBudget } from "@/lib/gateway/organization-spend";
import { organizationBudgetSchema } from "@/lib/schemas/guardrail-policy";

/** Sets the organization's budget over every workspace's model calls (installation owners). */
export const PUT = route({ permission: "member", body: organizationBudgetSchema }, async ({ ctx, body }) => {
  await saveOrganizationBudget(ctx, body);
  return { ok: true };
});
