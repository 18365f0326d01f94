import { Markdown } from "@/components/inbox/content-view";
import type { ChatTurnView } from "@/lib/schemas/chat";

/** One message: the person's (plain text) or an answer (markdown). */
export function Bubble({ who, children }: { who: "you" | "assistant"; children: React.ReactNode }) {
  const mine = who === "you";
  return (
    <div className={`flex ${mine ? "justify-end" : "justify-start"}`}>
      <div
        className={`max-w-[85%] min-w-0 rounded-lg px-3 py-2 text-sm [overflow-wrap:anywhere] ${mine ? "bg-brand-600 text-white" : "bg-slate-100 text-slate-900"}`}
      >
        <span className="sr-only">{mine ? "You: " : "Answer: "}</span>
        {typeof children === "string" && !mine ? (
          <Markdown text={children} />
        ) : (
          <span className="whitespace-pre-wrap">{children}</span>
        )}
      </div>
    </div>
  );
}

/** A turn's answer as it stands: streaming, waiting for approval (said in words), failed, or done. */
export function Answer({ turn }: { turn: ChatTurnView }) {
  if (turn.status === "waiting")
    return (
      <div className="flex justify-start">
        <p role="status" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          <span aria-hidden="true">⏸ </span>Waiting for approval: someone on the team must approve a step before the
          answer goes on.
        </p>
      </div>
    );
  if (turn.status === "failed")
    return (
      <div className="flex justify-start">
        <p className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
          <span aria-hidden="true">⚠ </span>
          {turn.answer}
        </p>
      </div>
    );
  if (turn.status === "working" && !turn.answer)
    return (
      <div className="flex justify-start">
        <p role="status" className="rounded-lg bg-slate-100 px-3 py-2 text-sm text-slate-600">
          Thinking…
        </p>
      </div>
    );
  // While it streams, assistive technology waits for the whole answer instead of reading each word.
  return (
    <div aria-busy={turn.status === "working" || undefined}>
      <Bubble who="assistant">{turn.answer}</Bubble>
    </div>
  );
}
