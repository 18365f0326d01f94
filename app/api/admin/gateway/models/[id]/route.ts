import { z } from "zod";
import { route } from "@/lib/api/route";
import { deleteAlias, saveAlias } from "@/lib/gateway/admin";
import { aliasInputSchema } from "@/lib/schemas/gateway";

const params = z.object({ id: z.string().min(1).max(64) });

export const PUT = route(
  { permission: "workspace:admin", params, body: aliasInputSchema },
  async ({ ctx, params, body }) => saveAlias(ctx, body, params.id),
);

export const DELETE = route({ permission: "workspace:admin", params }, async ({ ctx, params }) => {
  await deleteAlias(ctx, params.id);
  return { ok: true };
});
