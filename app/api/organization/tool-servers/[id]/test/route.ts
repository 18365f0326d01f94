import { z } from "zod";
import { route } from "@/lib/api/route";
import { testServer } from "@/lib/mcp/servers";

/** Test connection and discover tools into the catalog of every team it is granted to. */
export const POST = route(
  { permission: "member", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => testServer(ctx, params.id, "organization"),
);
