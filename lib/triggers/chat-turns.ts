import "server-only";
import { db } from "../db/client";
import { FAILED_ANSWER, answerText, type ChatTurnView } from "../schemas/chat";
import { AppError } from "../errors/app-error";
import { isEnded, runOutputOf, type RunStatus } from "../schemas/run";

/** A chat's turns as they stand: a turn's answer is never stored, it is read from its run. */
type TurnRow = { id: string; message: string; runId: string; createdAt: Date };

/** Turns as they stand, their answers read from their runs. */
export async function turnViews(turns: TurnRow[]): Promise<ChatTurnView[]> {
  if (!turns.length) return [];
  const prisma = await db();
  const runs = await prisma.run.findMany({
    where: { id: { in: turns.map((t) => t.runId) } },
    select: { id: true, status: true, output: true },
  });
  const byId = new Map(runs.map((r) => [r.id, r]));
  return turns.map((t) => {
    const run = byId.get(t.runId);
    return {
      id: t.id,
      at: t.createdAt.toISOString(),
      message: t.message,
      ...turnState(run?.status ?? "FAILED", run?.output ?? null),
    };
  });
}

function turnState(status: RunStatus, output: unknown): Pick<ChatTurnView, "status" | "answer"> {
  if (status === "COMPLETED") return { status: "answered", answer: answerText(runOutputOf(output)) };
  if (status === "FAILED" || status === "CANCELLED") return { status: "failed", answer: FAILED_ANSWER };
  return { status: status === "WAITING" ? "waiting" : "working", answer: "" };
}

/** At most `n` UTF-16 units of a text, never half of a character (PostgreSQL cannot store one). */
export const cutText = (text: string, n: number) => text.slice(0, n).replace(/[\uD800-\uDBFF]$/, "");

/** 409 while the conversation's last message is still being answered (or waits for a review). */
export async function refuseWhileAnswering(threadId: string): Promise<void> {
  const prisma = await db();
  const last = await prisma.chatTurn.findFirst({
    where: { threadId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { runId: true },
  });
  if (!last) return;
  const run = await prisma.run.findUnique({ where: { id: last.runId }, select: { status: true } });
  if (run && !isEnded(run.status))
    throw new AppError(
      "conflict",
      run.status === "WAITING"
        ? "Your last message waits for someone's approval; send the next once it is answered, or start a new conversation."
        : "Your last message is still being answered; send the next once it is.",
    );
}
