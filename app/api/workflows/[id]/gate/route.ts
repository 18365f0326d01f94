import { z } from "zod";
import { route } from "@/lib/api/route";
import { gateStatus } from "@/lib/evaluations/gate";

/** Whether the draft may be published under the evaluation gate, why not, and whether the reader may override it. */
export const GET = route(
  { permission: "workflows:read", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => ({
    gate: { ...(await gateStatus(ctx.workspace.id, params.id)), canOverride: ctx.role === "ADMIN" },
  }),
);
