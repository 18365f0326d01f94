import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { currentViewer, type Viewer } from "../auth/session";
import { db } from "../db/client";
import { AppError } from "../errors/app-error";
import { logger } from "../log/logger";
import { hearRunEvents } from "../runs/live-events";
import { startRun } from "../runs/start-run";
import { type ChatThreadSummary, type ChatThreadView, type ChatTurnView, type HostedChat } from "../schemas/chat";
import { chatConfigSchema, type ChatConfig } from "../schemas/triggers";
import { memoryFor } from "./chat-memory";
import { cutText, refuseWhileAnswering, turnViews } from "./chat-turns";
import { pruneDeliveries } from "./deliveries";
import { publishedTrigger } from "./published";
import { takeRates } from "./rate";
import { openSecret, sameSecret } from "./secret";
import { starter } from "./starter";

/**
 * Chats: a published workflow deployed as a conversation at `/c/:id` (and in other sites'
 * pages with the widget). Members only (signed in), or public: anyone with the link, which
 * carries the chat's token (rotating it ends every link given out). Each message is a turn: a
 * run of the published version, its message in a Start field, its agents given the
 * conversation before it (the last turns, and a rolling summary of older ones when the chat
 * keeps one). A turn's answer is its run's output, read from the run whenever the turn is
 * read, so a run that paused for a review and went on is answered without anyone watching.
 *
 * A conversation belongs to who started it: a member (their user id) or, in a public chat, a
 * visitor (the SHA-256 of a random key their browser keeps). Nobody reads another's. Nothing
 * of the workspace is shown but the chat's name, the workflow's description and the answers;
 * a failed turn says so without its error.
 */
const unavailable = () => new AppError("not_found", "This chat is not available.");
/** Messages one sender may send a chat in a minute. */
const PER_SENDER_PER_MINUTE = 10;
/** Conversations listed, newest first. */
const THREADS_LISTED = 50;

export interface Chat {
  id: string;
  workspaceId: string;
  workflowId: string;
  createdById: string;
  config: ChatConfig;
  token: string;
  title: string;
  description: string;
  /** The Start field messages go into, or null when the published version has no text field. */
  messageField: string | null;
}

/** Who is chatting: a member, or a public chat's visitor (by their key's hash). */
export type Chatter = { userId: string; visitor?: undefined } | { visitor: string; userId?: undefined };

/** How a request says who it is: the session, the link's token, the visitor's key. */
export interface ChatCredentials {
  viewer: Viewer | null;
  token: string | null;
  visitorKey: string | null;
}

export async function enabledChat(id: string): Promise<Chat> {
  const found = await publishedTrigger(id, "chat");
  if (!found) throw unavailable();
  const { row, description, fields } = found;
  const config = chatConfigSchema.parse(row.config);
  const field = config.messageField
    ? fields.find((f) => f.name === config.messageField)
    : fields.find((f) => f.type === "text" || f.type === "string");
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    workflowId: row.workflowId,
    createdById: row.createdById,
    config,
    token: openSecret(row.secret),
    // The name its builder gave the chat ("Help desk"), not the workflow's.
    title: row.name,
    description,
    messageField: field?.name ?? null,
  };
}

/** Whether the request may use the chat: a member for a members' chat, the link's token for a public one. */
function admitted(chat: Chat, credentials: ChatCredentials): "yes" | "sign-in" | "no" {
  if (chat.config.access === "public")
    return credentials.token && sameSecret(credentials.token, chat.token) ? "yes" : "no";
  if (credentials.viewer?.workspaces.some((w) => w.id === chat.workspaceId)) return "yes";
  return credentials.viewer ? "no" : "sign-in";
}

/** What the chat page shows, or why it cannot (not available; sign in first). */
export async function describeChat(
  id: string,
  credentials: Omit<ChatCredentials, "visitorKey">,
): Promise<{ chat: HostedChat; embed: boolean } | { signIn: true } | null> {
  const chat = await enabledChat(id).catch((e: unknown) => (e instanceof AppError ? null : Promise.reject(e)));
  if (!chat) return null;
  const admission = admitted(chat, { ...credentials, visitorKey: null });
  if (admission === "no") return null;
  if (admission === "sign-in") return { signIn: true };
  return {
    chat: {
      id: chat.id,
      title: chat.title,
      description: chat.description,
      greeting: chat.config.greeting,
      access: chat.config.access,
    },
    embed: chat.config.access === "public" && chat.config.embed,
  };
}

/** The chat and who is chatting, or 404 (unknown, off, a wrong token) / 401 (a members' chat, signed out). */
export async function chatAndChatter(id: string, credentials: ChatCredentials): Promise<{ chat: Chat; who: Chatter }> {
  const chat = await enabledChat(id);
  const admission = admitted(chat, credentials);
  if (admission === "sign-in")
    throw new AppError("unauthorized", "Sign in to use this chat: it is for the workspace's members.");
  if (admission === "no") throw unavailable();
  if (chat.config.access === "members") return { chat, who: { userId: credentials.viewer!.user.id } };
  const key = credentials.visitorKey;
  if (!key || !/^[A-Za-z0-9_-]{22,128}$/.test(key))
    throw new AppError(
      "bad_request",
      "X-Flowdeck-Visitor: send the random key (22 to 128 letters, digits, - or _) this browser keeps for the chat.",
      { fields: [{ path: "headers.x-flowdeck-visitor", message: "22 to 128 letters, digits, - or _" }] },
    );
  return { chat, who: { visitor: createHash("sha256").update(key).digest("hex") } };
}

/**
 * The chat and who is chatting, from a request: its session, the link's token
 * (`X-Flowdeck-Chat-Token`) and the visitor's key (`X-Flowdeck-Visitor`).
 */
export async function chatFromRequest(id: string, headers: Headers): Promise<{ chat: Chat; who: Chatter }> {
  return chatAndChatter(id, {
    viewer: await currentViewer(),
    token: headers.get("x-flowdeck-chat-token"),
    visitorKey: headers.get("x-flowdeck-visitor"),
  });
}

const ownedBy = (who: Chatter) => (who.userId ? { userId: who.userId } : { visitor: who.visitor });

const summaryOf = (t: { id: string; title: string; updatedAt: Date }): ChatThreadSummary => ({
  id: t.id,
  title: t.title,
  updatedAt: t.updatedAt.toISOString(),
});

export async function listThreads(chat: Chat, who: Chatter): Promise<ChatThreadSummary[]> {
  const prisma = await db();
  const rows = await prisma.chatThread.findMany({
    where: { triggerId: chat.id, ...ownedBy(who) },
    orderBy: { updatedAt: "desc" },
    take: THREADS_LISTED,
    select: { id: true, title: true, updatedAt: true },
  });
  return rows.map(summaryOf);
}

async function threadOf(chat: Chat, who: Chatter, threadId: string) {
  const prisma = await db();
  const thread = await prisma.chatThread.findFirst({ where: { id: threadId, triggerId: chat.id, ...ownedBy(who) } });
  if (!thread) throw new AppError("not_found", "This conversation is not here: it was removed, or it is not yours.");
  return thread;
}

export async function readThread(chat: Chat, who: Chatter, threadId: string): Promise<ChatThreadView> {
  const thread = await threadOf(chat, who, threadId);
  const prisma = await db();
  const turns = await prisma.chatTurn.findMany({ where: { threadId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return { ...summaryOf(thread), turns: await turnViews(turns) };
}

/** One turn of one of this chatter's conversations, with its run. */
export async function turnOf(chat: Chat, who: Chatter, threadId: string, turnId: string) {
  await threadOf(chat, who, threadId);
  const prisma = await db();
  const turn = await prisma.chatTurn.findFirst({ where: { id: turnId, threadId } });
  if (!turn) throw new AppError("not_found", "This message is not in this conversation.");
  return {
    turn,
    read: async (): Promise<ChatTurnView> => (await turnViews([turn]))[0]!,
  };
}

/**
 * A message: a new conversation (`threadId` null) or the next turn of one. Rate-limited per
 * chat and per sender; its run starts as the chat's maker, its agents given the conversation so
 * far. Answers the conversation and the turn, still working: the answer streams (`turnEvents`).
 */
export async function sendMessage(
  chat: Chat,
  who: Chatter,
  threadId: string | null,
  message: string,
  /** Who is sending (their address), so one sender cannot use up the chat's rate. */
  client: string | null,
): Promise<{ thread: ChatThreadSummary; turn: ChatTurnView }> {
  const sender = client ?? who.userId ?? who.visitor!;
  await takeRates(
    [
      ["chat-sender", Math.min(PER_SENDER_PER_MINUTE, chat.config.perMinute), `${chat.id}:${sender}`],
      ["chat", chat.config.perMinute, chat.id],
    ],
    "This chat takes only so many messages a minute",
  );
  const prisma = await db();
  // A message to a conversation waits for the answer to the one before (its memory needs it).
  const thread = threadId ? await threadOf(chat, who, threadId) : null;
  if (thread) await refuseWhileAnswering(thread.id);
  const started = performance.now();
  const record = (status: number, runId: string | null, error: string | null) =>
    prisma.triggerDelivery
      .create({
        data: {
          triggerId: chat.id,
          status,
          runId,
          error,
          payload: message.slice(0, 4_000),
          ms: Math.round(performance.now() - started),
        },
      })
      .catch((e: unknown) => logger().warn({ err: e, triggerId: chat.id }, "could not record a chat message"));
  if (Math.random() < 0.05) void pruneDeliveries(chat.id).catch(() => undefined);
  if (!chat.messageField) {
    await record(400, null, "The published version's Start step has no text field for the message.");
    throw new AppError("bad_request", "This chat cannot answer yet: the team must give its workflow a text field.");
  }
  // This process keeps the answer's text as it streams, for the page's stream that comes a moment later.
  await hearRunEvents();
  let runId: string;
  try {
    const viewer = await starter(chat);
    const conversation = thread ? await memoryFor(chat, viewer, thread) : { summary: "", messages: [] };
    ({ id: runId } = await startRun(
      viewer,
      chat.workflowId,
      { input: { [chat.messageField]: message }, mode: "published" },
      { trigger: "chat", triggerId: chat.id, conversation },
    ));
  } catch (error) {
    // The person chatting learns that it cannot answer; the team sees why in the chat's messages.
    const known = error instanceof AppError;
    await record(known ? error.status : 500, null, known ? error.message : "internal error");
    if (known) throw new AppError("bad_request", "This chat cannot answer now; the team can see why.");
    throw error;
  }
  // A new conversation is kept only once its first message has a run.
  const { row, turn } = await prisma.$transaction(async (tx) => {
    const row =
      thread ??
      (await tx.chatThread.create({
        data: {
          id: randomUUID(),
          triggerId: chat.id,
          workspaceId: chat.workspaceId,
          ...ownedBy(who),
          title: message.length > 80 ? `${cutText(message, 79)}…` : message,
        },
      }));
    const turn = await tx.chatTurn.create({ data: { id: randomUUID(), threadId: row.id, message, runId } });
    await tx.chatThread.update({ where: { id: row.id }, data: { updatedAt: turn.createdAt } });
    return { row, turn };
  });
  await record(202, runId, null);
  return {
    thread: summaryOf({ ...row, updatedAt: turn.createdAt }),
    turn: { id: turn.id, at: turn.createdAt.toISOString(), message, status: "working", answer: "" },
  };
}
