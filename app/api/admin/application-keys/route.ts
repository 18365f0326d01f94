import { json, route } from "@/lib/api/route";
import { createApplicationKey, listApplicationKeys } from "@/lib/auth/application-keys";
import { applicationKeyInputSchema } from "@/lib/schemas/api-key";

/** The workspace's application keys (admins). */
export const GET = route({ permission: "workspace:admin" }, async ({ ctx }) => ({
  keys: await listApplicationKeys(ctx),
}));

/** Makes an application key: the key is in this answer only (admins). */
export const POST = route({ permission: "workspace:admin", body: applicationKeyInputSchema }, async ({ ctx, body }) =>
  json(await createApplicationKey(ctx, body), 201),
);
