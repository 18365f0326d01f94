import "server-only";
import { db } from "../db/client";
import { AppError } from "../errors/app-error";
import { processSingleton } from "../process/singleton";
import { partialTexts, subscribeRunEvents } from "../runs/live-events";
import { answeringAgents, type ChatStreamEvent, type ChatTurnView } from "../schemas/chat";
import { workflowGraphSchema } from "../schemas/workflow";
import { turnOf, type Chat, type Chatter } from "./chat";
import { openSecret, sameSecret } from "./secret";

/** How often the turn is read again when no event woke the stream (a lost notification only delays). */
const SAFETY_POLL_MS = 2_000;
/** A stream ends after this long (the page opens it again): a turn that waits for days holds nothing. */
const STREAM_MS = 5 * 60_000;

/**
 * How many answers may stream at once in this process: per person or visitor (a few tabs), per
 * address (people behind one network address; a visitor key costs nothing to make), per chat.
 */
export const STREAM_CAPS = { perChatter: 4, perAddress: 32, perChat: 500 };

/**
 * Takes one stream's place under every cap, or throws 429 saying why; the caller gives it back
 * (the function returned) when the stream ends.
 */
function takeStreamPlaces(chat: Chat, who: Chatter, address: string | null): () => void {
  const held = counts();
  const keys: [string, number][] = [
    [`chat:${chat.id}`, STREAM_CAPS.perChat],
    [`chatter:${chat.id}:${who.userId ?? who.visitor}`, STREAM_CAPS.perChatter],
    ...(address ? [[`address:${chat.id}:${address}`, STREAM_CAPS.perAddress] as [string, number]] : []),
  ];
  const full = keys.find(([key, cap]) => (held.get(key) ?? 0) >= cap);
  if (full)
    throw new AppError(
      "rate_limited",
      full[0].startsWith("chatter:")
        ? "Too many answers of this chat are open at once from here: close another tab of it and try again."
        : full[0].startsWith("address:")
          ? "This chat is answering as many people from your network as it can at once; try again in a moment."
          : "This chat is answering as many people as it can at once; try again in a moment.",
      { retryAfterSeconds: 5 },
    );
  for (const [key] of keys) held.set(key, (held.get(key) ?? 0) + 1);
  let given = false;
  return () => {
    if (given) return;
    given = true;
    for (const [key] of keys) {
      const left = (held.get(key) ?? 1) - 1;
      if (left > 0) held.set(key, left);
      else held.delete(key);
    }
  };
}

/** The turn, how to read it again, and which of its run's agents answer the person. */
async function answeringTurn(chat: Chat, who: Chatter, threadId: string, turnId: string) {
  const { turn, read } = await turnOf(chat, who, threadId, turnId);
  const run = await (await db()).run.findUnique({ where: { id: turn.runId }, select: { graph: true } });
  const parsed = workflowGraphSchema.safeParse(run?.graph);
  return { turn, read, answering: parsed.success ? answeringAgents(parsed.data) : new Set<string>() };
}

/**
 * One turn's answer as Server-Sent Events, for the person chatting: the answering agents'
 * tokens as they come (`answeringAgents`: never another step's text or output), "waiting" while
 * a person must approve something, "working" again once they did, and the turn as it ended.
 * The turn is read from its run at each run event (and every 2 s as a safety net), so a stream
 * opened late, or again after a dropped connection, still ends with the whole answer. A stream
 * lasts at most 5 minutes (the page opens it again) and ends at once when the chat is turned
 * off or its link replaced.
 */
export async function turnEvents(
  chat: Chat,
  who: Chatter,
  threadId: string,
  turnId: string,
  signal: AbortSignal,
  /** The asker's network address (a key of it), for the cap per address; null when unknown. */
  address: string | null = null,
): Promise<ReadableStream<Uint8Array>> {
  // The caps first: a stream past them is refused before anything is read.
  const giveBack = takeStreamPlaces(chat, who, address);
  const { turn, read, answering } = await answeringTurn(chat, who, threadId, turnId).catch((error: unknown) => {
    giveBack();
    throw error;
  });
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
      // The first token of a stream, and of a step that starts again (after an approval, a retry), replaces the text.
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
            if (e.type !== "step.delta") {
              if (e.type === "step.started") lastNode = null;
              return wake();
            }
            if (!e.nodeId || !answering.has(e.nodeId)) return;
            const text = (e.payload as { text?: unknown } | undefined)?.text;
            if (typeof text !== "string") return;
            send({ type: "token", text, ...(lastNode !== e.nodeId ? { reset: true } : {}) });
            lastNode = e.nodeId;
          },
          () => wake(),
        );
        controller.enqueue(encoder.encode("retry: 1000\n\n"));
        // Came in the middle of the answer: its text so far first (nothing heard since subscribing is lost).
        for (const p of partialTexts(turn.runId))
          if (answering.has(p.nodeId)) {
            send({ type: "token", text: p.text, reset: true });
            lastNode = p.nodeId;
          }
        let shown: ChatTurnView["status"] | null = null;
        const until = Date.now() + STREAM_MS;
        while (!closed && !signal.aborted && Date.now() < until) {
          dirty = false;
          // Turned off, or its link replaced: the stream ends at once.
          if (!(await stillOpen(chat))) break;
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
        giveBack();
        if (!closed) controller.close();
        closed = true;
      }
    },
    cancel() {
      stop();
    },
  });
}

/** Whether the chat is still on, with the same link (a public chat's token may have been replaced). */
async function stillOpen(chat: Chat): Promise<boolean> {
  const prisma = await db();
  const row = await prisma.trigger.findFirst({ where: { id: chat.id, enabled: true }, select: { secret: true } });
  return !!row && (chat.config.access !== "public" || sameSecret(openSecret(row.secret), chat.token));
}

const open = () => processSingleton("chat-turn-streams-open", () => new Set<object>());
/** Streams held per cap's key (`takeStreamPlaces`). */
const counts = () => processSingleton("chat-turn-streams-held", () => new Map<string, number>());

/** How many chat streams this process holds open (tests check none is left behind). */
export const openChatStreams = (): number => open().size;
