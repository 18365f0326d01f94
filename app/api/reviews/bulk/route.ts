import { route } from "@/lib/api/route";
import { decideMany } from "@/lib/review/decide-many";
import { bulkDecisionSchema } from "@/lib/schemas/review";

/** Decides many reviews the same way, each exactly once; answers what happened to each. */
export const POST = route({ permission: "reviews:decide", body: bulkDecisionSchema }, async ({ ctx, body }) =>
  decideMany(ctx, body),
);
