import { z } from "zod";
import { json, publicRoute } from "@/lib/api/route";
import { addressKey, clientAddress } from "@/lib/auth/client-address";
import { chatMessageInputSchema } from "@/lib/schemas/chat";
import { chatFromRequest, sendMessage } from "@/lib/triggers/chat";

export const dynamic = "force-dynamic";

/** The next message of one of the asker's conversations: 201 with the turn, still working. */
export const POST = publicRoute(
  { params: z.object({ id: z.string().min(1).max(64), threadId: z.uuid() }), body: chatMessageInputSchema },
  async ({ params, body, request }) => {
    const { chat, who } = await chatFromRequest(params.id, request.headers);
    const address = clientAddress(request.headers);
    return json(await sendMessage(chat, who, params.threadId, body.message, address ? addressKey(address) : null), 201);
  },
);
