import { z } from "zod";
import { route } from "@/lib/api/route";
import { markNotificationsRead } from "@/lib/review/notifications";

const readSchema = z.object({ ids: z.union([z.literal("all"), z.array(z.string().min(1).max(64)).min(1).max(200)]) });

/** Marks notifications read: some by id, or "all". */
export const POST = route({ permission: "member", body: readSchema }, async ({ ctx, body }) =>
  markNotificationsRead(ctx, body.ids),
);
