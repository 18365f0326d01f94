import { route } from "@/lib/api/route";
import { toolChoices } from "@/lib/mcp/admin";

/** The tools the signed-in person may pick in Tool and Agent steps. */
export const GET = route({ permission: "workflows:read" }, async ({ ctx }) => ({ tools: await toolChoices(ctx) }));
