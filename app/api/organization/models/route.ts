import { json, route } from "@/lib/api/route";
import { listAliases, saveAlias } from "@/lib/gateway/admin";
import { aliasInputSchema } from "@/lib/schemas/gateway";

/** The organization's models (installation owners): teams reach them through grants. */
export const GET = route({ permission: "member" }, async ({ ctx }) => ({
  models: await listAliases(ctx, "organization"),
}));

export const POST = route({ permission: "member", body: aliasInputSchema }, async ({ ctx, body }) =>
  json(await saveAlias(ctx, body, undefined, "organization"), 201),
);
