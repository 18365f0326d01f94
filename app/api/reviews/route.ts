import { route } from "@/lib/api/route";
import { listPendingReviews } from "@/lib/review/reviews";
import { inboxQuerySchema } from "@/lib/schemas/review";

/** Pending reviews of the workspace that the caller may decide: filtered, sorted, a page at a time. */
export const GET = route({ permission: "reviews:decide", query: inboxQuerySchema }, async ({ ctx, query }) =>
  listPendingReviews(ctx, query),
);
