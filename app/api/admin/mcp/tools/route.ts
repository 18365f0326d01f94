import { route } from "@/lib/api/route";
import { listTools } from "@/lib/mcp/admin";

/** Every discovered tool with its status and permissions. */
export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => ({ tools: await listTools(ctx) }));
