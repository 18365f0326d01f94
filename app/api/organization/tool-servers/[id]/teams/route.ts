import { z } from "zod";
import { route } from "@/lib/api/route";
import { setServerTeams } from "@/lib/mcp/tool-grants";
import { serverTeamsSchema } from "@/lib/schemas/mcp";

/** The teams that have this organization tool server: the whole list (installation owners). */
export const PUT = route(
  { permission: "member", params: z.object({ id: z.string().min(1).max(64) }), body: serverTeamsSchema },
  async ({ ctx, params, body }) => setServerTeams(ctx, params.id, body.workspaceIds),
);
