import { z } from "zod";
import { route } from "@/lib/api/route";
import { decideReview } from "@/lib/review/decide-review";
import { decisionInputSchema } from "@/lib/schemas/run";

/** Decide a pending review once; a second decision gets 409 naming who decided. */
export const POST = route(
  { permission: "reviews:decide", params: z.object({ id: z.string().min(1).max(64) }), body: decisionInputSchema },
  async ({ ctx, params, body }) => decideReview(ctx, params.id, body),
);
