import { json, route } from "@/lib/api/route";
import { listServers, saveServer } from "@/lib/mcp/servers";
import { serverInputSchema } from "@/lib/schemas/mcp";

/** MCP servers of this workspace; secret values never leave the server, only their names. */
export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => ({ servers: await listServers(ctx) }));

export const POST = route({ permission: "workspace:admin", body: serverInputSchema }, async ({ ctx, body }) =>
  json(await saveServer(ctx, body), 201),
);
