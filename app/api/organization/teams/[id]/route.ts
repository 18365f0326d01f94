import { z } from "zod";
import { route } from "@/lib/api/route";
import { saveTeam } from "@/lib/gateway/teams";
import { teamInputSchema } from "@/lib/schemas/teams";

/** Sets a team's granted models, its own limits and budget, and "bring your own key" (installation owners). */
export const PUT = route(
  { permission: "member", params: z.object({ id: z.string().min(1).max(64) }), body: teamInputSchema },
  async ({ ctx, params, body }) => {
    await saveTeam(ctx, params.id, body);
    return { ok: true };
  },
);
