import { z } from "zod";
import { publicRoute } from "@/lib/api/route";
import { deliveryResponse } from "@/lib/triggers/delivery-response";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(64) });

/**
 * A webhook's URL: starts a run of the workflow's published version with the JSON body as its
 * input. Authenticated by the trigger's secret token or HMAC signature, not by a session.
 */
export const POST = publicRoute({ params }, async ({ params, request }) => deliveryResponse(request, params.id, false));
