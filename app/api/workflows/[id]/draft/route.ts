import { z } from "zod";
import { route } from "@/lib/api/route";
import { saveDraftInputSchema } from "@/lib/schemas/workflow";
import { saveDraft } from "@/lib/workflows/save-draft";

/** Autosave: 409 when someone else saved since `revision`. Graphs up to 5 MB. */
export const PUT = route(
  {
    permission: "workflows:write",
    params: z.object({ id: z.string().min(1).max(64) }),
    body: saveDraftInputSchema,
    maxBodyBytes: 5_000_000,
  },
  async ({ ctx, params, body }) => saveDraft(ctx.workspace.id, ctx.user.id, params.id, body),
);
