import { route } from "@/lib/api/route";
import { listVariables } from "@/lib/workspaces/variables";

/** The workspace's variables and secrets for the editor's references: a secret by name and last four characters only. */
export const GET = route({ permission: "workflows:read" }, async ({ ctx }) => ({
  variables: await listVariables(ctx),
}));
