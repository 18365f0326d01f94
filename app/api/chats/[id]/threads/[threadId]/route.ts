import { z } from "zod";
import { publicRoute } from "@/lib/api/route";
import { chatFromRequest, readThread } from "@/lib/triggers/chat";

export const dynamic = "force-dynamic";

/** One of the asker's conversations, every turn with its answer as it stands (404 if not theirs). */
export const GET = publicRoute(
  { params: z.object({ id: z.string().min(1).max(64), threadId: z.uuid() }) },
  async ({ params, request }) => {
    const { chat, who } = await chatFromRequest(params.id, request.headers);
    return readThread(chat, who, params.threadId);
  },
);
