import { z } from "zod";
import { route } from "@/lib/api/route";
import { deleteProvider, saveProvider } from "@/lib/gateway/admin";
import { providerInputSchema } from "@/lib/schemas/gateway";

const params = z.object({ id: z.string().min(1).max(64) });

/** Changes a provider; an empty apiKey keeps the stored one. */
export const PUT = route(
  { permission: "workspace:admin", params, body: providerInputSchema },
  async ({ ctx, params, body }) => saveProvider(ctx, body, params.id),
);

export const DELETE = route({ permission: "workspace:admin", params }, async ({ ctx, params }) => {
  await deleteProvider(ctx, params.id);
  return { ok: true };
});
