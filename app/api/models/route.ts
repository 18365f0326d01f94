import { route } from "@/lib/api/route";
import { modelChoices } from "@/lib/gateway/choices";

/** The models the signed-in person may pick in the editor. */
export const GET = route({ permission: "member" }, async ({ ctx }) => ({ models: await modelChoices(ctx) }));
