import { route } from "@/lib/api/route";
import { listGrants } from "@/lib/gateway/teams";

/** The organization's models granted to this workspace, and who here may use each. */
export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => ({ grants: await listGrants(ctx) }));
