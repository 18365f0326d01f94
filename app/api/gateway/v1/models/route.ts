import { route } from "@/lib/api/route";
import { modelChoices } from "@/lib/gateway/choices";

/** OpenAI-compatible list of the models the key's owner may use. */
export const GET = route({ permission: "member", apiKey: true }, async ({ ctx }) => ({
  object: "list",
  data: (await modelChoices(ctx)).map((m) => ({ id: m.name, object: "model", created: 0, owned_by: "flowdeck" })),
}));
