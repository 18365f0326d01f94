import { route } from "@/lib/api/route";
import { changePassword } from "@/lib/auth/change-password";
import { clientAddress } from "@/lib/auth/client-address";
import { changePasswordInputSchema } from "@/lib/schemas/identity";

/** Changes the signed-in person's password and ends all their sessions (this one too). */
export const POST = route({ permission: "member", body: changePasswordInputSchema }, async ({ ctx, body, request }) =>
  changePassword(ctx, body, clientAddress(request.headers)),
);
