import { publicRoute } from "@/lib/api/route";
import { acceptInvitationInputSchema } from "@/lib/schemas/identity";
import { acceptInvitation } from "@/lib/workspaces/invitations";

export const POST = publicRoute({ body: acceptInvitationInputSchema }, async ({ body }) =>
  acceptInvitation(body.token, body.password),
);
