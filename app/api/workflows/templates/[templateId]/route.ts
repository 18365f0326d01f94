import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { createFromTemplate } from "@/lib/workflows/from-template";

/** New from template: creates the workflow (and the specialists it delegates to). */
export const POST = route(
  { permission: "workflows:write", params: z.object({ templateId: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => json(await createFromTemplate(ctx.workspace.id, ctx.user.id, params.templateId), 201),
);
