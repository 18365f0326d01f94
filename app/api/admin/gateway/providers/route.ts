import { json, route } from "@/lib/api/route";
import { listProviders, saveProvider } from "@/lib/gateway/admin";
import { providerInputSchema } from "@/lib/schemas/gateway";

/** Model providers of this workspace; keys appear only as their last four characters. */
export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => ({
  providers: await listProviders(ctx),
}));

export const POST = route({ permission: "workspace:admin", body: providerInputSchema }, async ({ ctx, body }) =>
  json(await saveProvider(ctx, body), 201),
);
