import { z } from "zod";
import { route } from "@/lib/api/route";
import { pinInputSchema } from "@/lib/schemas/pins";
import { listPins, pinOutput, unpinOutput } from "@/lib/runs/pins";

const params = z.object({ id: z.string().min(1).max(64), nodeId: z.string().min(1).max(200) });

/** Pins a step's output (typed, or from the last run that finished it); answers the pins. */
export const PUT = route(
  { permission: "workflows:write", params, body: pinInputSchema },
  async ({ ctx, params, body }) => {
    await pinOutput(ctx, params.id, params.nodeId, body);
    return { pins: await listPins(ctx.workspace.id, params.id) };
  },
);

/** Unpins a step; answers the pins. */
export const DELETE = route({ permission: "workflows:write", params }, async ({ ctx, params }) => {
  await unpinOutput(ctx, params.id, params.nodeId);
  return { pins: await listPins(ctx.workspace.id, params.id) };
});
