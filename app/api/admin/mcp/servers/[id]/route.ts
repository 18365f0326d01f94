import { z } from "zod";
import { route } from "@/lib/api/route";
import { deleteServer, saveServer } from "@/lib/mcp/servers";
import { serverInputSchema } from "@/lib/schemas/mcp";

const params = z.object({ id: z.string().min(1).max(64) });

/** Changes a server; an empty secret value keeps the stored one. */
export const PUT = route(
  { permission: "workspace:admin", params, body: serverInputSchema },
  async ({ ctx, params, body }) => saveServer(ctx, body, params.id),
);

export const DELETE = route({ permission: "workspace:admin", params }, async ({ ctx, params }) => {
  await deleteServer(ctx, params.id);
  return { ok: true };
});
