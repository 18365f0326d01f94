import { route } from "@/lib/api/route";
import { getLimits, saveLimits } from "@/lib/gateway/admin";
import { limitsInputSchema } from "@/lib/schemas/gateway";

/** Rate limits and budgets of this workspace, with this period's spend. */
export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => getLimits(ctx));

export const PUT = route({ permission: "workspace:admin", body: limitsInputSchema }, async ({ ctx, body }) => {
  await saveLimits(ctx, body);
  return getLimits(ctx);
});
