import { z } from "zod";
import { route } from "@/lib/api/route";
import { revokeApplicationKey, updateApplicationKey } from "@/lib/auth/application-keys";
import { applicationKeyInputSchema } from "@/lib/schemas/api-key";

const params = z.object({ id: z.string().min(1).max(64) });

/** Revokes an application key: it stops working at once, in every process (admins). */
export const DELETE = route({ permission: "workspace:admin", params }, async ({ ctx, params }) => {
  await revokeApplicationKey(ctx, params.id);
  return { ok: true };
});

/** Changes an application key's limits (admins); the key itself stays the same. */
export const PUT = route(
  { permission: "workspace:admin", params, body: applicationKeyInputSchema },
  async ({ ctx, params, body }) => updateApplicationKey(ctx, params.id, body),
);
