import { route } from "@/lib/api/route";
import { tryPolicy } from "@/lib/gateway/policies";
import { tryPolicySchema } from "@/lib/schemas/guardrail-policy";

/** A policy's rules tried on a text (installation owners): nothing is saved or sent. */
export const POST = route({ permission: "member", body: tryPolicySchema }, async ({ ctx, body }) => ({
  result: await tryPolicy(ctx, body.rules, body.text, body.name),
}));
