import { z } from "zod";
import { route } from "@/lib/api/route";
import { testServer } from "@/lib/mcp/servers";

/** Test connection and discover tools. */
export const POST = route(
  { permission: "workspace:admin", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => testServer(ctx, params.id),
);
