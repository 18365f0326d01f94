import { servedByLane } from "@/lib/api/read-body";
import { route } from "@/lib/api/route";
import { chatCompletion, chatCompletionSchema } from "@/lib/gateway/openai-compat";

export const dynamic = "force-dynamic";

/**
 * OpenAI-compatible chat completions through the gateway, for external clients with a
 * personal API key (`Authorization: Bearer fdk_…`): streaming and not, with tool calls.
 */
export const POST = route(
  { permission: "member", apiKey: true, body: chatCompletionSchema, maxBodyBytes: 4_000_000 },
  async ({ ctx, body, request }) => chatCompletion(ctx, body, request.signal, servedByLane(request)),
);
