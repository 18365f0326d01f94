import { z } from "zod";
import { route } from "@/lib/api/route";
import { getVersion } from "@/lib/workflows/versions";

export const GET = route(
  {
    permission: "workflows:read",
    params: z.object({ id: z.string().min(1).max(64), version: z.coerce.number().int().min(1) }),
  },
  async ({ ctx, params }) => getVersion(ctx.workspace.id, params.id, params.version),
);
