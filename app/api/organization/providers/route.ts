import { json, route } from "@/lib/api/route";
import { listProviders, saveProvider } from "@/lib/gateway/admin";
import { providerInputSchema } from "@/lib/schemas/gateway";

/** The organization's model providers (installation owners); keys appear only as their last four characters. */
export const GET = route({ permission: "member" }, async ({ ctx }) => ({
  providers: await listProviders(ctx, "organization"),
}));

export const POST = route({ permission: "member", body: providerInputSchema }, async ({ ctx, body }) =>
  json(await saveProvider(ctx, body, undefined, "organization"), 201),
);
