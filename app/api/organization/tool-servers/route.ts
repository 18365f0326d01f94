import { json, route } from "@/lib/api/route";
import { listServers, saveServer } from "@/lib/mcp/servers";
import { serverInputSchema } from "@/lib/schemas/mcp";

/** The organization's tool servers (installation owners), with the teams each is granted to; secret values never leave the server. */
export const GET = route({ permission: "member" }, async ({ ctx }) => ({
  servers: await listServers(ctx, "organization"),
}));

export const POST = route({ permission: "member", body: serverInputSchema }, async ({ ctx, body }) =>
  json(await saveServer(ctx, body, undefined, "organization"), 201),
);
