import { publicRoute } from "@/lib/api/route";
import { clientAddress } from "@/lib/auth/client-address";
import { acceptInvitationInputSchema } from "@/lib/schemas/identity";
import { acceptInvitation } from "@/lib/workspaces/invitations";

export const POST = publicRoute({ body: acceptInvitationInputSchema }, async ({ body, request }) =>
  acceptInvitation(body.token, body.password, clientAddress(request.headers)),
);
