import { z } from "zod";
import { route } from "@/lib/api/route";
import { revokeApiKey } from "@/lib/auth/api-keys";

/** Revokes one of the signed-in person's keys: it stops working at once. */
export const DELETE = route(
  { permission: "member", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => {
    await revokeApiKey(ctx, params.id);
    return { ok: true };
  },
);
