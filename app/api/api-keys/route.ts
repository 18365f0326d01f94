import { json, route } from "@/lib/api/route";
import { createApiKey, listApiKeys } from "@/lib/auth/api-keys";
import { createApiKeyInputSchema } from "@/lib/schemas/api-key";

/** The signed-in person's API keys in this workspace (never the keys themselves). */
export const GET = route({ permission: "member" }, async ({ ctx }) => ({ keys: await listApiKeys(ctx) }));

/** A new key; the answer is the only time the key is shown. */
export const POST = route({ permission: "member", body: createApiKeyInputSchema }, async ({ ctx, body }) =>
  json(await createApiKey(ctx, body), 201),
);
