import { z } from "zod";
import { json, route } from "@/lib/api/route";
import { addCaseFromRun } from "@/lib/evaluations/cases";

/** "Add to test cases": the run's input, and its output as the expected one. */
export const POST = route(
  { permission: "workflows:write", params: z.object({ id: z.string().min(1).max(64) }) },
  async ({ ctx, params }) => json({ case: await addCaseFromRun(ctx, params.id) }, 201),
);
