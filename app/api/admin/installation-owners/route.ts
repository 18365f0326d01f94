import { route } from "@/lib/api/route";
import { installationOwners } from "@/lib/workspaces/installation-owners";

/** The installation owners among this workspace's members, and whether the caller is one. */
export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => installationOwners(ctx));
