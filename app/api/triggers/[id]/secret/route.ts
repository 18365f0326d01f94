import { z } from "zod";
import { route } from "@/lib/api/route";
import { rotateTriggerSecret } from "@/lib/triggers/triggers";

const params = z.object({ id: z.string().min(1).max(64) });

/** A new secret for the webhook (the old one stops working at once); the answer holds it, this once. */
export const POST = route({ permission: "workflows:write", apiKey: true, params }, async ({ ctx, params }) =>
  rotateTriggerSecret(ctx, params.id),
);
