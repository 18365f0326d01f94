import { z } from "zod";
import { publicRoute } from "@/lib/api/route";
import { sse } from "@/lib/api/sse";
import { addressKey, clientAddress } from "@/lib/auth/client-address";
import { chatFromRequest } from "@/lib/triggers/chat";
import { turnEvents } from "@/lib/triggers/chat-stream";

export const dynamic = "force-dynamic";

/**
 * A turn's answer as Server-Sent Events: its tokens, "waiting" for a person's approval, and the
 * turn as it ended. A few at once per person or visitor, and per address: past them, 429.
 */
export const GET = publicRoute(
  { params: z.object({ id: z.string().min(1).max(64), threadId: z.uuid(), turnId: z.uuid() }) },
  async ({ params, request }) => {
    const { chat, who } = await chatFromRequest(params.id, request.headers);
    const address = clientAddress(request.headers);
    return sse(
      await turnEvents(chat, who, params.threadId, params.turnId, request.signal, address ? addressKey(address) : null),
    );
  },
);
