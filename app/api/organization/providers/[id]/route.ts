import { z } from "zod";
import { route } from "@/lib/api/route";
import { deleteProvider, saveProvider } from "@/lib/gateway/admin";
import { providerInputSchema } from "@/lib/schemas/gateway";

const params = z.object({ id: z.string().min(1).max(64) });

/** Changes one of the organization's providers (installation owners); an empty apiKey keeps the stored one. */
export const PUT = route({ permission: "member", params, body: providerInputSchema }, async ({ ctx, params, body }) =>
  saveProvider(ctx, body, params.id, "organization"),
);

export const DELETE = route({ permission: "member", params }, async ({ ctx, params }) => {
  await deleteProvider(ctx, params.id, "organization");
  return { ok: true };
});
