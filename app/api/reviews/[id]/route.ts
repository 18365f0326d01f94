import { z } from "zod";
import { route } from "@/lib/api/route";
import { getReview } from "@/lib/review/reviews";

export const GET = route(
  { permission: "reviews:decide", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => getReview(ctx, params.id),
);
