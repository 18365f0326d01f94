import { z } from "zod";
import { route } from "@/lib/api/route";
import { listDeliveries } from "@/lib/triggers/triggers";

const params = z.object({ id: z.string().min(1).max(64) });

/** The webhook's last 50 deliveries, newest first: status, run, the start of the body. */
export const GET = route({ permission: "workflows:read", apiKey: true, params }, async ({ ctx, params }) => ({
  deliveries: await listDeliveries(ctx, params.id),
}));
