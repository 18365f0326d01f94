import { json, route } from "@/lib/api/route";
import { listAliases, saveAlias } from "@/lib/gateway/admin";
import { aliasInputSchema } from "@/lib/schemas/gateway";

/** Model aliases with their deployments, prices and access rules. */
export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => ({ models: await listAliases(ctx) }));

export const POST = route({ permission: "workspace:admin", body: aliasInputSchema }, async ({ ctx, body }) =>
  json(await saveAlias(ctx, body), 201),
);
