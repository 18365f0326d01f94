import { route } from "@/lib/api/route";
import { organizationSpend } from "@/lib/gateway/organization-spend";

/** The organization's spend this period by workspace, against its budget, with a forecast (installation owners). */
export const GET = route({ permission: "member" }, async ({ ctx }) => ({ spend: await organizationSpend(ctx) }));
