import { currentViewer } from "@/lib/auth/session";
import { databaseHealth, databaseReachable } from "@/lib/db/client";
import { json, publicRoute } from "@/lib/api/route";
import { can } from "@/lib/schemas/permissions";

export const dynamic = "force-dynamic";

/**
 * Up (200) or down (503). Anyone may ask, so the public answer is only that; a signed-in admin
 * also gets the database kind and the migrations applied and pending.
 */
export const GET = publicRoute({}, async ({ request }) => {
  const viewer = request.cookies.size > 0 ? await currentViewer().catch(() => null) : null;
  if (viewer && can(viewer.role, "workspace:admin")) {
    const database = await databaseHealth();
    return json({ status: database.ok ? "ok" : "unavailable", database }, database.ok ? 200 : 503);
  }
  const up = await databaseReachable();
  return json({ status: up ? "ok" : "unavailable" }, up ? 200 : 503);
});
