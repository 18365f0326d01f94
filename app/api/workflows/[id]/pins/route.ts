import { z } from "zod";
import { route } from "@/lib/api/route";
import { listPins } from "@/lib/runs/pins";

/** The draft's pinned step outputs, by node id. */
export const GET = route(
  { permission: "workflows:read", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => ({ pins: await listPins(ctx.workspace.id, params.id) }),
);
