import { Button } from "@/components/ui/button";
import type { ChatThreadSummary } from "@/lib/schemas/chat";

/** The person's conversations, newest first, the open one marked; and a new one. */
export function ConversationList({
  threads,
  openId,
  embedded,
  onOpen,
}: {
  threads: ChatThreadSummary[];
  openId: string | null;
  embedded: boolean;
  onOpen: (id: string | null) => void;
}) {
  return (
    <nav
      aria-label="Your conversations"
      className={`shrink-0 border-slate-200 bg-slate-50 p-3 ${embedded ? "border-b" : "border-b md:w-64 md:border-r md:border-b-0"}`}
    >
      <Button size="sm" variant="secondary" onClick={() => onOpen(null)} className="w-full">
        New conversation
      </Button>
      {threads.length > 0 && (
        <ul className={`mt-3 space-y-1 overflow-y-auto ${embedded ? "max-h-24" : "max-h-40 md:max-h-none"}`}>
          {threads.map((t) => (
            <li key={t.id}>
              <button
                type="button"
                aria-current={t.id === openId ? "true" : undefined}
                onClick={() => onOpen(t.id)}
                className="block w-full truncate rounded px-2 py-1.5 text-left text-sm text-slate-700 hover:bg-slate-200 aria-[current]:bg-brand-100 aria-[current]:font-semibold aria-[current]:text-brand-900"
              >
                {t.title}
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
