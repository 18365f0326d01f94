import { z } from "zod";
import { publicRoute } from "@/lib/api/route";
import { deliveryResponse } from "@/lib/triggers/delivery-response";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(64) });

/** A webhook's test URL: as its URL, but runs the workflow's draft. */
export const POST = publicRoute({ params }, async ({ params, request }) => deliveryResponse(request, params.id, true));
