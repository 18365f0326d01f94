import { z } from "zod";
import { route } from "@/lib/api/route";
import { getVersion } from "@/lib/workflows/versions";
import { storedIntText } from "@/lib/schemas/storable";

export const GET = route(
  {
    permission: "workflows:read",
    params: z.object({ id: z.string().min(1).max(64), version: storedIntText(1) }),
  },
  async ({ ctx, params }) => getVersion(ctx.workspace.id, params.id, params.version),
);
