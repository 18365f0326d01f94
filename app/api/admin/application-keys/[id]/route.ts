import { z } from "zod";
import { route } from "@/lib/api/route";
import { revokeApplicationKey } from "@/lib/auth/application-keys";

const params = z.object({ id: z.string().min(1).max(64) });

/** Revokes an application key: it stops working at once, in every process (admins). */
export const DELETE = route({ permission: "workspace:admin", params }, async ({ ctx, params }) => {
  await revokeApplicationKey(ctx, params.id);
  return { ok: true };
});
