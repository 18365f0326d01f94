import { route } from "@/lib/api/route";
import { listTeams } from "@/lib/gateway/teams";

/** Every workspace as a team: its granted models, own limits and budget (installation owners). */
export const GET = route({ permission: "member" }, async ({ ctx }) => ({ teams: await listTeams(ctx) }));
