import { z } from "zod";
import { route } from "@/lib/api/route";
import { installationOwnerInputSchema } from "@/lib/schemas/identity";
import { setInstallationOwner } from "@/lib/workspaces/installation-owners";

/** An installation owner names (or un-names) a member of this workspace an installation owner. */
export const PUT = route(
  {
    permission: "workspace:admin",
    params: z.object({ userId: z.string().min(1).max(64) }),
    body: installationOwnerInputSchema,
  },
  async ({ ctx, params, body }) => {
    await setInstallationOwner(ctx, params.userId, body.owner);
    return { ok: true };
  },
);
