import { json, route } from "@/lib/api/route";
import { requestIsHttps } from "@/lib/api/security-headers";
import { WORKSPACE_COOKIE } from "@/lib/auth/session";
import { switchWorkspaceInputSchema } from "@/lib/schemas/identity";
import { markJoined } from "@/lib/auth/joined";
import { assertMember } from "@/lib/workspaces/workspaces";

/** Switches the workspace the person works in (a cookie; membership checked on every request). */
export const PUT = route({ permission: "member", body: switchWorkspaceInputSchema }, async ({ ctx, body, request }) => {
  await assertMember(ctx.user.id, body.workspaceId);
  await markJoined(ctx.user.id, body.workspaceId);
  const response = json({ workspaceId: body.workspaceId });
  response.cookies.set(WORKSPACE_COOKIE, body.workspaceId, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 365 * 86_400,
    secure: requestIsHttps(request.nextUrl, request.headers),
  });
  return response;
});
