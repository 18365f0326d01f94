import { z } from "zod";
import { route } from "@/lib/api/route";
import { deleteServer, saveServer } from "@/lib/mcp/servers";
import { serverInputSchema } from "@/lib/schemas/mcp";

const params = z.object({ id: z.string().min(1).max(64) });

/** Changes one of the organization's tool servers (installation owners); an empty secret value keeps the stored one. */
export const PUT = route({ permission: "member", params, body: serverInputSchema }, async ({ ctx, params, body }) =>
  saveServer(ctx, body, params.id, "organization"),
);

/** Removes it, and its tools from every team it was granted to. */
export const DELETE = route({ permission: "member", params }, async ({ ctx, params }) => {
  await deleteServer(ctx, params.id, "organization");
  return { ok: true };
});
