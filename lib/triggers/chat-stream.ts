import "server-only";
import { db } from "../db/client";
import { processSingleton } from "../process/singleton";
import { subscribeRunEvents } from "../runs/live-events";
import { answeringAgents, type ChatStreamEvent, type ChatTurnView } from "../schemas/chat";
import { workflowGraphSchema } from "../schemas/workflow";
import { turnOf, type Chat, type Chatter } from "./chat";

/** How often the turn is read again when no event woke the stream (a lost notification only delays). */
const SAFETY_POLL_MS = 2_000;

/**
 * One turn's answer as Server-Sent Events, for the person chatting: the answering agents'
 * tokens as they come (`answeringAgents`: never another step's text or output), "waiting" while
 * a person must approve something, "working" again once they did, and the turn as it ended.
 * The turn is read from its run at each run event (and every 2 s as a safety net), so a stream
 * opened late, or again after a dropped connection, still ends with the whole answer.
 */
export async function turnEvents(
  chat: Chat,
  who: Chatter,
  threadId: string,
  turnId: string,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const { turn, read } = await turnOf(chat, who, threadId, turnId);
  const prisma = await db();
  const run = await prisma.run.findUnique({ where: { id: turn.runId }, select: { graph: true } });
  const parsed = workflowGraphSchema.safeParse(run?.graph);
  const answering = parsed.success ? answeringAgents(parsed.data) : new Set<string>();
  const encoder = new TextEncoder();
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const stream = {};
      open().add(stream);
      let closed = false;
      // `dirty`: something happened while the turn was being read, so read it again at once.
      let dirty = false;
      let resolveWait = () => {};
      const wake = () => {
        dirty = true;
        resolveWait();
      };
      let lastNode: string | null = null;
      const send = (e: ChatStreamEvent) =>
        !closed && controller.enqueue(encoder.encode(`data: ${JSON.stringify(e)}\n\n`));
      const onAbort = () => wake();
      signal.addEventListener("abort", onAbort, { once: true });
      const ping = setInterval(() => !closed && controller.enqueue(encoder.encode(": ping\n\n")), 15_000);
      let unsubscribe = () => {};
      stop = () => {
        closed = true;
        wake();
      };
      try {
        unsubscribe = await subscribeRunEvents(
          turn.runId,
          (e) => {
            if (e.type !== "step.delta") return wake();
            if (!e.nodeId || !answering.has(e.nodeId)) return;
            const text = (e.payload as { text?: unknown } | undefined)?.text;
            if (typeof text !== "string") return;
            send({ type: "token", text, ...(lastNode !== null && lastNode !== e.nodeId ? { reset: true } : {}) });
            lastNode = e.nodeId;
          },
          () => wake(),
        );
        controller.enqueue(encoder.encode("retry: 1000\n\n"));
        let shown: ChatTurnView["status"] | null = null;
        while (!closed && !signal.aborted) {
          dirty = false;
          const now = await read();
          if (now.status === "answered" || now.status === "failed") {
            send({ type: "end", turn: now });
            break;
          }
          if (now.status !== shown) send({ type: "status", status: now.status });
          shown = now.status;
          if (dirty) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, SAFETY_POLL_MS);
            resolveWait = () => (clearTimeout(timer), resolve());
          });
        }
      } catch (error) {
        if (!closed) controller.error(error);
        closed = true;
      } finally {
        unsubscribe();
        clearInterval(ping);
        signal.removeEventListener("abort", onAbort);
        open().delete(stream);
        if (!closed) controller.close();
        closed = true;
      }
    },
    cancel() {
      stop();
    },
  });
}

const open = () => processSingleton("chat-turn-streams-open", () => new Set<object>());

/** How many chat streams this process holds open (tests check none is left behind). */
export const openChatStreams = (): number => open().size;
