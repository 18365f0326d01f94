import { z } from "zod";
import { route } from "@/lib/api/route";
import { deleteAlias, saveAlias } from "@/lib/gateway/admin";
import { aliasInputSchema } from "@/lib/schemas/gateway";

const params = z.object({ id: z.string().min(1).max(64) });

/** Changes or deletes one of the organization's models (installation owners); its grants go with it. */
export const PUT = route({ permission: "member", params, body: aliasInputSchema }, async ({ ctx, params, body }) =>
  saveAlias(ctx, body, params.id, "organization"),
);

export const DELETE = route({ permission: "member", params }, async ({ ctx, params }) => {
  await deleteAlias(ctx, params.id, "organization");
  return { ok: true };
});
