import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { createTriggerInputSchema } from "@/lib/schemas/triggers";
import { createTrigger, listTriggers } from "@/lib/triggers/triggers";

const params = z.object({ id: z.string().min(1).max(64) });

/** The workflow's triggers, oldest first: never a webhook's secret; a public chat's link (with its token) for its builders to share. */
export const GET = route({ permission: "workflows:read", apiKey: true, params }, async ({ ctx, params }) => ({
  triggers: await listTriggers(ctx, params.id),
}));

/** A new trigger; for a webhook, the answer (201) holds its secret, shown this once. */
export const POST = route(
  { permission: "workflows:write", apiKey: true, params, body: createTriggerInputSchema },
  async ({ ctx, params, body }) => json(await createTrigger(ctx, params.id, body), 201),
);
