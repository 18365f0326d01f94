import { route } from "@/lib/api/route";
import { listPendingReviews } from "@/lib/review/reviews";

/** Pending reviews of the workspace that the caller may decide. */
export const GET = route({ permission: "reviews:decide" }, async ({ ctx }) => ({ reviews: await listPendingReviews(ctx) }));
