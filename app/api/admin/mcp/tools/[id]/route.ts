import { z } from "zod";
import { route } from "@/lib/api/route";
import { updateTool } from "@/lib/mcp/admin";
import { toolUpdateSchema } from "@/lib/schemas/mcp";

/** Sets a tool's permissions (and approves its current version when `approve` is true). */
export const PUT = route(
  { permission: "workspace:admin", params: z.object({ id: z.string().min(1).max(64) }), body: toolUpdateSchema },
  async ({ ctx, params, body }) => {
    await updateTool(ctx, params.id, body);
    return { ok: true };
  },
);
