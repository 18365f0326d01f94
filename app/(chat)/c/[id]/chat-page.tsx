import { ChatApp } from "@/components/chat/chat-app";
import { Logo } from "@/components/ui/logo";
import { currentViewer } from "@/lib/auth/session";
import { describeChat } from "@/lib/triggers/chat";

type Search = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : null);

function Notice({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="m-auto max-w-md space-y-2 rounded-xl bg-white p-8 text-sm shadow-sm ring-1 ring-slate-200">
      <h1 className="text-lg font-semibold">{title}</h1>
      {children}
    </div>
  );
}

/**
 * A hosted chat page, whole (`/c/:id`) or for another site's frame (`/c/:id/embed`, only for a
 * public chat whose makers turned embedding on). A public chat needs its link's token (`?t=`).
 */
export async function ChatPage({
  params,
  searchParams,
  embedded,
}: {
  params: Promise<{ id: string }>;
  searchParams: Search;
  embedded: boolean;
}) {
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const token = one(search.t);
  const found = await describeChat(id, { viewer: embedded ? null : await currentViewer(), token });
  if (!found || (embedded && !("signIn" in found) && !found.embed) || (embedded && "signIn" in found))
    return (
      <Notice title="This chat is not available">
        <p className="text-slate-600">It was turned off or removed, or the link is not right.</p>
      </Notice>
    );
  if ("signIn" in found)
    return (
      <Notice title="Sign in to use this chat">
        <p className="text-slate-600">It is for the members of a workspace. Sign in, then open this link again.</p>
        <a
          className="font-medium text-brand-700 hover:underline"
          href={`/signin?next=${encodeURIComponent(`/c/${id}`)}`}
        >
          Go to sign in
        </a>
      </Notice>
    );
  const thread = one(search.thread);
  return (
    <>
      <div className="min-h-0 flex-1">
        <ChatApp
          chat={found.chat}
          token={token}
          initialThreadId={thread && /^[0-9a-f-]{36}$/.test(thread) ? thread : null}
          embedded={embedded}
        />
      </div>
      {!embedded && (
        <p className="flex items-center justify-center gap-1.5 py-2 text-xs text-slate-500">
          Made with <Logo className="text-xs" />
        </p>
      )}
    </>
  );
}
