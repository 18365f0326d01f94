import { route } from "@/lib/api/route";
import { listViolations } from "@/lib/gateway/policies";

/** What guardrail policies did lately, in every workspace (installation owners). */
export const GET = route({ permission: "member" }, async ({ ctx }) => ({ violations: await listViolations(ctx) }));
