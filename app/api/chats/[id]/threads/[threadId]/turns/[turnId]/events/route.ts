import { z } from "zod";
import { publicRoute } from "@/lib/api/route";
import { sse } from "@/lib/api/sse";
import { chatFromRequest } from "@/lib/triggers/chat";
import { turnEvents } from "@/lib/triggers/chat-stream";

export const dynamic = "force-dynamic";

/** A turn's answer as Server-Sent Events: its tokens, "waiting" for a person's approval, and the turn as it ended. */
export const GET = publicRoute(
  { params: z.object({ id: z.string().min(1).max(64), threadId: z.uuid(), turnId: z.uuid() }) },
  async ({ params, request }) => {
    const { chat, who } = await chatFromRequest(params.id, request.headers);
    return sse(await turnEvents(chat, who, params.threadId, params.turnId, request.signal));
  },
);
