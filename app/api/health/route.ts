import { databaseHealth } from "@/lib/db/client";
import { json, publicRoute } from "@/lib/api/route";

export const dynamic = "force-dynamic";

/** Database connectivity and migration state: 200 when ready, 503 when not. */
export const GET = publicRoute({}, async () => {
  const database = await databaseHealth();
  return json({ status: database.ok ? "ok" : "unavailable", database }, database.ok ? 200 : 503);
});
