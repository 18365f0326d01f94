import "server-only";
import { generateText } from "ai";
import type { Viewer } from "../auth/session";
import { db } from "../db/client";
import { governedModel } from "../gateway/pipeline";
import { logger } from "../log/logger";
import { conversationBefore, type RememberedTurn } from "../schemas/chat";
import type { Chat } from "./chat";
import { cutText, turnViews } from "./chat-turns";

/**
 * The conversation before a new message: the last turns and, for a rolling summary, the
 * summary of the older ones, brought up to date first (by a model call through the gateway, as
 * the chat's maker). A summary that cannot be written leaves the older summary: the chat goes on.
 */
export async function memoryFor(
  chat: Chat,
  viewer: Viewer,
  thread: { id: string; summary: string; summarizedTurns: number },
) {
  const prisma = await db();
  const window = chat.config.windowTurns;
  const rows =
    chat.config.memory === "window"
      ? (
          await prisma.chatTurn.findMany({
            where: { threadId: thread.id },
            orderBy: { createdAt: "desc" },
            take: window,
          })
        ).reverse()
      : await prisma.chatTurn.findMany({
          where: { threadId: thread.id },
          orderBy: { createdAt: "asc" },
          skip: thread.summarizedTurns,
        });
  const turns: RememberedTurn[] = (await turnViews(rows)).map((t) => ({
    message: t.message,
    answer: t.status === "answered" ? t.answer : null,
  }));
  let summary = thread.summary;
  const older = turns.length - window;
  if (chat.config.memory === "summary" && older > 0) {
    const written = await summarize(chat, viewer, summary, turns.slice(0, older)).catch((error: unknown) => {
      logger().warn({ err: error, triggerId: chat.id }, "could not write a chat's summary");
      return null;
    });
    if (written !== null) {
      summary = written;
      // Only over the summary it was written from: a summary written meanwhile by another message stays.
      await prisma.chatThread.updateMany({
        where: { id: thread.id, summarizedTurns: thread.summarizedTurns },
        data: { summary, summarizedTurns: thread.summarizedTurns + older },
      });
      return conversationBefore(turns.slice(older), chat.config, summary);
    }
  }
  return conversationBefore(turns, chat.config, summary);
}

async function summarize(chat: Chat, viewer: Viewer, summary: string, turns: RememberedTurn[]): Promise<string> {
  const lines = turns.flatMap((t) => [`Person: ${t.message}`, ...(t.answer ? [`Assistant: ${t.answer}`] : [])]);
  const { text } = await generateText({
    model: governedModel(chat.config.summaryModel, {
      workspaceId: chat.workspaceId,
      userId: viewer.user.id,
      role: viewer.role,
      workflowId: chat.workflowId,
      source: "workflow",
    }),
    maxRetries: 0,
    abortSignal: AbortSignal.timeout(60_000),
    prompt: [
      "Summarize this conversation in a few sentences for the assistant to go on from: keep names, facts, wishes and decisions.",
      summary ? `The summary so far:\n${summary}` : "",
      `What was said since:\n${lines.join("\n")}`,
    ]
      .filter(Boolean)
      .join("\n\n"),
  });
  return cutText(text.trim(), 8_000);
}
