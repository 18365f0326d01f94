import { z } from "zod";
import { json, publicRoute } from "@/lib/api/route";
import { addressKey, clientAddress } from "@/lib/auth/client-address";
import { chatMessageInputSchema } from "@/lib/schemas/chat";
import { chatFromRequest, listThreads, sendMessage } from "@/lib/triggers/chat";

export const dynamic = "force-dynamic";

const params = z.object({ id: z.string().min(1).max(64) });

/** The conversations of whoever asks (a member, or a public chat's visitor by their key), newest first. */
export const GET = publicRoute({ params }, async ({ params, request }) => {
  const { chat, who } = await chatFromRequest(params.id, request.headers);
  return { threads: await listThreads(chat, who) };
});

/** A new conversation, with its first message: 201 with the conversation and the turn, still working. */
export const POST = publicRoute({ params, body: chatMessageInputSchema }, async ({ params, body, request }) => {
  const { chat, who } = await chatFromRequest(params.id, request.headers);
  const address = clientAddress(request.headers);
  return json(await sendMessage(chat, who, null, body.message, address ? addressKey(address) : null), 201);
});
