import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { importCases } from "@/lib/evaluations/cases";

/** Imports test cases from a CSV or JSONL file's text; every problem is named by row and column. */
export const POST = route(
  {
    permission: "workflows:write",
    params: z.object({ id: z.string().min(1).max(64) }),
    body: z.object({ format: z.enum(["csv", "jsonl"]), text: z.string().min(1).max(1_000_000) }).strict(),
  },
  async ({ ctx, params, body }) => json({ cases: await importCases(ctx, params.id, body) }, 201),
);
