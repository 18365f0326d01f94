import { z } from "zod";
import type { Conversation } from "./run";
import type { ChatConfig } from "./triggers";
import type { WorkflowGraph } from "./workflow";

/**
 * Chat: a published workflow deployed as a conversation. Each message a person sends is a turn:
 * a run of the workflow whose Start field gets the message and whose agents get the
 * conversation before it as memory (`Run.conversation`); the run's output is the answer.
 */

/** What a chat page shows: the chat's name (its builder's), the workflow's description, and the greeting. */
export interface HostedChat {
  id: string;
  title: string;
  description: string;
  greeting: string;
  access: ChatConfig["access"];
}

/** How a turn stands: "working" while its run goes on, "waiting" while a person must approve something first. */
export type ChatTurnStatus = "working" | "waiting" | "answered" | "failed";

/** One turn of a conversation: the message, and the answer as it stands. */
export interface ChatTurnView {
  id: string;
  at: string;
  message: string;
  status: ChatTurnStatus;
  answer: string;
}

export interface ChatThreadSummary {
  id: string;
  title: string;
  updatedAt: string;
}

export interface ChatThreadView extends ChatThreadSummary {
  turns: ChatTurnView[];
}

/** What the chat stream says to the person chatting: the answer's tokens and the turn's state, never a step's output. */
export type ChatStreamEvent =
  | { type: "token"; text: string; reset?: boolean }
  | { type: "status"; status: "working" | "waiting" }
  | { type: "end"; turn: ChatTurnView };

export const chatMessageInputSchema = z.object({
  message: z.string().trim().min(1, "Write a message").max(4_000, "At most 4,000 characters"),
});

/** What a failed turn says: the person chatting never sees the run's error (the team does). */
export const FAILED_ANSWER = "Something went wrong while answering; the team can see what. Try again.";

/**
 * The answer a run's output makes: a text as it is; an object's `text`, `answer` or `reply`, or
 * its only text value; anything else as JSON.
 */
export function answerText(output: unknown): string {
  if (output == null) return "";
  if (typeof output === "string") return output;
  if (typeof output === "object" && !Array.isArray(output)) {
    const o = output as Record<string, unknown>;
    for (const key of ["text", "answer", "reply", "message"]) if (typeof o[key] === "string") return o[key];
    const texts = Object.values(o).filter((v): v is string => typeof v === "string");
    if (texts.length === 1 && Object.keys(o).length === 1) return texts[0]!;
  }
  return JSON.stringify(output, null, 2);
}

/** A turn as memory: what the person said, and the answer when there was one. */
export interface RememberedTurn {
  message: string;
  answer: string | null;
}

/**
 * What a new message's run is given of the conversation before it: the last `windowTurns`
 * turns as messages, and (for a rolling summary) the summary of the turns before those.
 */
export function conversationBefore(
  turns: RememberedTurn[],
  config: Pick<ChatConfig, "memory" | "windowTurns">,
  summary: string,
): Conversation {
  const recent = turns.slice(-config.windowTurns);
  return {
    summary: config.memory === "summary" ? summary : "",
    messages: recent.flatMap((t) => [
      { role: "user" as const, content: t.message },
      ...(t.answer ? [{ role: "assistant" as const, content: t.answer }] : []),
    ]),
  };
}

/**
 * The agents whose text is the answer, so their tokens stream to the person chatting: those
 * connected to an Output directly or through Conditions only (which route a text, never change
 * it). An agent before a review, a guardrail, a transform or code does not stream: those steps
 * decide or change what the person may see, so the answer comes whole at the end.
 */
export function answeringAgents(graph: WorkflowGraph): Set<string> {
  const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  const found = new Set<string>();
  const seen = new Set<string>();
  const queue = graph.nodes.filter((n) => n.kind === "output" && !n.parentId).map((n) => n.id);
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of graph.edges)
      if (e.target === id) {
        const kind = kinds.get(e.source);
        if (kind === "agent") found.add(e.source);
        else if (kind === "condition") queue.push(e.source);
      }
  }
  return found;
}
