import { route } from "@/lib/api/route";
import { handleMcpRequest } from "@/lib/runs/mcp-server";

export const dynamic = "force-dynamic";

/**
 * Flowdeck as an MCP server (Streamable HTTP, stateless): the workspace's workflows marked
 * "expose as tool", for clients with a personal API key (`Authorization: Bearer fdk_…`).
 * The MCP SDK reads the request itself, so the wrapper only checks the key and the role.
 */
const handler = route({ permission: "workflows:write", apiKey: true }, async ({ ctx, request }) =>
  handleMcpRequest(ctx, request),
);
export const POST = handler;
export const GET = handler;
export const DELETE = handler;
