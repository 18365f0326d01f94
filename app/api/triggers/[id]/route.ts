import { z } from "zod";
import { route } from "@/lib/api/route";
import { updateTriggerInputSchema } from "@/lib/schemas/triggers";
import { deleteTrigger, updateTrigger } from "@/lib/triggers/triggers";

const params = z.object({ id: z.string().min(1).max(64) });

/** Rename, turn on or off, or change how a webhook answers; audited. */
export const PATCH = route(
  { permission: "workflows:write", apiKey: true, params, body: updateTriggerInputSchema },
  async ({ ctx, params, body }) => updateTrigger(ctx, params.id, body),
);

export const DELETE = route({ permission: "workflows:write", apiKey: true, params }, async ({ ctx, params }) =>
  deleteTrigger(ctx, params.id),
);
