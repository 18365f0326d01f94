import { json, publicRoute } from "@/lib/api/route";
import { setupInputSchema } from "@/lib/schemas/identity";
import { createFirstAdmin } from "@/lib/workspaces/setup";

/** Creates the first admin on an empty installation; refused (409) once anyone has an account. */
export const POST = publicRoute({ body: setupInputSchema }, async ({ body }) =>
  json(await createFirstAdmin(body), 201),
);
