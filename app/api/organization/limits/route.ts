import { route } from "@/lib/api/route";
import { saveOrganizationLimits } from "@/lib/gateway/organization-spend";
import { organizationLimitsSchema } from "@/lib/schemas/guardrail-policy";

/** Sets the organization's requests and tokens per minute over every team's model calls together (installation owners). */
export const PUT = route({ permission: "member", body: organizationLimitsSchema }, async ({ ctx, body }) => {
  await saveOrganizationLimits(ctx, body);
  return { ok: true };
});
