"use client";

import { useCallback, useEffect, useId, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { api, ApiError } from "@/lib/queries/api-client";
import type { ChatThreadSummary, ChatThreadView, ChatTurnView, HostedChat } from "@/lib/schemas/chat";
import { followTurn, StreamRefused } from "./chat-stream-client";
import { Answer, Bubble } from "./chat-turn";
import { ConversationList } from "./conversation-list";
import { visitorKey } from "./visitor-key";

const noSubscription = () => () => {};

/**
 * A hosted chat: the person's conversations (reopened from the list, or from the address, which
 * names the open one), the open conversation's turns, and a box to write the next message. An
 * answer streams in as the workflow's answering agent writes it; a turn whose run waits for a
 * person's approval says so and goes on by itself once they decide.
 */
export function ChatApp({
  chat,
  token,
  initialThreadId,
  embedded = false,
}: {
  chat: HostedChat;
  token: string | null;
  initialThreadId: string | null;
  embedded?: boolean;
}) {
  // Known in the browser only (a public chat's visitor key lives in its storage); null while rendered on the server.
  const visitor = useSyncExternalStore(
    noSubscription,
    () => (chat.access === "public" ? visitorKey(chat.id) : ""),
    () => null,
  );
  const headers = useMemo(
    () =>
      visitor === null
        ? null
        : {
            ...(token ? { "x-flowdeck-chat-token": token } : {}),
            ...(visitor ? { "x-flowdeck-visitor": visitor } : {}),
          },
    [token, visitor],
  );
  const [threads, setThreads] = useState<ChatThreadSummary[]>([]);
  const [threadId, setThreadId] = useState<string | null>(initialThreadId);
  const [turns, setTurns] = useState<ChatTurnView[]>([]);
  const [loading, setLoading] = useState(!!initialThreadId);
  const [draft, setDraft] = useState("");
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const following = useRef(new Map<string, AbortController>());
  const messageId = useId();
  const endRef = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const base = `/api/chats/${chat.id}`;

  useEffect(() => {
    const streams = following.current;
    return () => streams.forEach((c) => c.abort());
  }, []);

  const patchTurn = useCallback((id: string, change: (t: ChatTurnView) => ChatTurnView) => {
    setTurns((all) => all.map((t) => (t.id === id ? change(t) : t)));
  }, []);

  /** Follows a turn's answer until it ends: tokens, waiting for approval, the end. */
  const follow = useCallback(
    (thread: string, turn: ChatTurnView, h: Record<string, string>) => {
      if (following.current.has(turn.id)) return;
      const controller = new AbortController();
      following.current.set(turn.id, controller);
      void followTurn(
        `${base}/threads/${thread}/turns/${turn.id}/events`,
        h,
        (e) => {
          if (e.type === "token")
            patchTurn(turn.id, (t) => ({ ...t, status: "working", answer: e.reset ? e.text : t.answer + e.text }));
          else if (e.type === "status") patchTurn(turn.id, (t) => ({ ...t, status: e.status }));
          else patchTurn(turn.id, () => e.turn);
        },
        controller.signal,
      )
        .catch((e: unknown) =>
          patchTurn(turn.id, (t) => ({
            ...t,
            status: "failed",
            answer:
              e instanceof StreamRefused ? e.message : "The connection was lost. Reload the page to see the answer.",
          })),
        )
        .finally(() => {
          // Only its own: the same turn may be followed again since (its conversation reopened).
          if (following.current.get(turn.id) === controller) following.current.delete(turn.id);
        });
    },
    [base, patchTurn],
  );

  // The conversations, as the server has them (only the newest request's answer is shown).
  const listed = useRef(0);
  const loadThreads = useCallback(
    (h: Record<string, string>) => {
      const asked = ++listed.current;
      return api<{ threads: ChatThreadSummary[] }>(`${base}/threads`, { headers: h })
        .then((r) => asked === listed.current && setThreads(r.threads))
        .catch((e: Error) => setError(e.message));
    },
    [base],
  );
  useEffect(() => {
    if (headers) void loadThreads(headers);
  }, [headers, loadThreads]);

  // Which view is shown: each opened conversation (or a new one) is a new ticket, and an answer
  // for an older ticket (a conversation left before it loaded, a message sent from it) is dropped.
  const shown = useRef(0);
  const loadTurns = useCallback(
    async (id: string, h: Record<string, string>, ticket: number) => {
      try {
        const thread = await api<ChatThreadView>(`${base}/threads/${id}`, { headers: h });
        if (ticket !== shown.current) return;
        setTurns(thread.turns);
        for (const t of thread.turns) if (t.status === "working" || t.status === "waiting") follow(id, t, h);
      } catch (e) {
        if (ticket !== shown.current) return;
        setTurns([]);
        setError((e as Error).message);
      } finally {
        if (ticket === shown.current) setLoading(false);
      }
    },
    [base, follow],
  );

  // The conversation the address names, once the headers are known.
  useEffect(() => {
    if (headers && initialThreadId) void loadTurns(initialThreadId, headers, ++shown.current);
  }, [headers, initialThreadId, loadTurns]);

  const open = (id: string | null) => {
    const ticket = ++shown.current;
    following.current.forEach((c) => c.abort());
    following.current.clear();
    setThreadId(id);
    setError(null);
    setTurns([]);
    const url = new URL(window.location.href);
    if (id) url.searchParams.set("thread", id);
    else url.searchParams.delete("thread");
    window.history.replaceState(null, "", url);
    setLoading(!!id && !!headers);
    if (id && headers) void loadTurns(id, headers, ticket);
  };

  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: "end" });
  }, [turns]);

  // In a frame the person opened to write, the box takes the focus once it takes typing.
  useEffect(() => {
    if (embedded && headers) input.current?.focus();
  }, [embedded, headers]);

  // In another site's frame, Escape asks the widget to close it (and give the focus back to its button).
  useEffect(() => {
    if (!embedded) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") window.parent.postMessage({ flowdeck: "chat-close" }, "*");
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [embedded]);

  const last = turns.at(-1);
  const answering = last?.status === "working" || last?.status === "waiting";

  const send = async () => {
    const message = draft.trim();
    if (!message || !headers || sending || answering) return;
    const ticket = shown.current;
    setSending(true);
    setError(null);
    try {
      const { thread, turn } = await api<{ thread: ChatThreadSummary; turn: ChatTurnView }>(
        threadId ? `${base}/threads/${threadId}/messages` : `${base}/threads`,
        { body: { message }, headers },
      );
      setDraft("");
      // The Send button goes disabled with the box empty: the person goes on writing from the box.
      input.current?.focus();
      void loadThreads(headers);
      // The person went to another conversation meanwhile: the message is in its own, in the list.
      if (ticket !== shown.current) return;
      if (!threadId) {
        setThreads((all) => [thread, ...all.filter((t) => t.id !== thread.id)]);
        setThreadId(thread.id);
        const url = new URL(window.location.href);
        url.searchParams.set("thread", thread.id);
        window.history.replaceState(null, "", url);
      }
      setTurns((all) => [...all, turn]);
      follow(thread.id, turn, headers);
    } catch (e) {
      setError((e as Error).message);
      // Another tab sent a message meanwhile: show it, and its answer as it comes.
      if (e instanceof ApiError && e.status === 409 && threadId && ticket === shown.current)
        void loadTurns(threadId, headers, ticket);
    } finally {
      setSending(false);
    }
  };

  const held = answering
    ? last?.status === "waiting"
      ? "Your last message waits for someone's approval: send the next once it is answered, or start a new conversation."
      : "Your last message is still being answered."
    : null;

  const title = useMemo(() => threads.find((t) => t.id === threadId)?.title, [threads, threadId]);

  return (
    <div className={`flex h-full min-h-0 flex-col ${embedded ? "" : "md:flex-row"} bg-white`}>
      <ConversationList threads={threads} openId={threadId} embedded={embedded} onOpen={open} />
      <section aria-labelledby={`${messageId}-title`} className="flex min-h-0 flex-1 flex-col">
        <header className="border-b border-slate-200 px-4 py-3">
          <h1 id={`${messageId}-title`} className="text-base font-semibold text-slate-900">
            {chat.title}
          </h1>
          {chat.description && !embedded && <p className="text-sm text-slate-600">{chat.description}</p>}
          <p className="sr-only">{title ? `Conversation: ${title}` : "A new conversation"}</p>
        </header>
        <div role="log" aria-label="Messages" aria-busy={loading} className="flex-1 space-y-3 overflow-y-auto p-4">
          <Bubble who="assistant">{chat.greeting}</Bubble>
          {loading && <p className="text-sm text-slate-500">Loading the conversation…</p>}
          {turns.map((t) => (
            <div key={t.id} className="space-y-3">
              <Bubble who="you">{t.message}</Bubble>
              <Answer turn={t} />
            </div>
          ))}
          <div ref={endRef} />
        </div>
        <form
          className="space-y-2 border-t border-slate-200 p-3"
          onSubmit={(e) => {
            e.preventDefault();
            void send();
          }}
        >
          {error && <Alert>{error}</Alert>}
          <label htmlFor={messageId} className="sr-only">
            Message
          </label>
          <div className="flex items-end gap-2">
            <textarea
              id={messageId}
              ref={input}
              rows={2}
              // Until the page's scripts run, what is typed would be lost (and Enter would not send).
              disabled={!headers}
              aria-describedby={`${messageId}-hint`}
              value={draft}
              maxLength={4000}
              placeholder={headers ? "Write a message…" : "Getting the chat ready…"}
              onChange={(e) => {
                setDraft(e.target.value);
                setError(null);
              }}
              onKeyDown={(e) => {
                if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  void send();
                }
              }}
              className="block flex-1 resize-none rounded-md border-0 px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500 disabled:bg-slate-50"
            />
            <Button type="submit" busy={sending} disabled={!draft.trim() || !headers} disabledReason={held}>
              Send
            </Button>
          </div>
          <p id={`${messageId}-hint`} className="text-xs text-slate-500">
            {held ??
              (draft.length > 3_500
                ? `${4_000 - draft.length} characters left (4,000 at most).`
                : "Enter sends; Shift+Enter starts a new line.")}
          </p>
        </form>
      </section>
    </div>
  );
}
