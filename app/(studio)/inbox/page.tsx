import Link from "next/link";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { listPendingReviews } from "@/lib/review/reviews";

export const metadata = { title: "Inbox" };

/** Every pending review of the workspace this person may decide, oldest first. */
export default async function InboxPage() {
  const { viewer, allowed } = await pageViewer("reviews:decide");
  if (!allowed) return <DeniedPage role={viewer.role} need="reviewers and admins" />;
  const reviews = await listPendingReviews(viewer);
  const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  return (
    <Page>
      <div className="space-y-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Inbox</h1>
          <p className="text-sm text-slate-600">Steps of running workflows that wait for your decision.</p>
        </div>
        <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200" data-testid="inbox-list">
          {reviews.map((r) => (
            <li key={r.id}>
              <Link href={`/inbox/${r.id}`} className="flex items-center justify-between gap-4 px-4 py-3 hover:bg-slate-50" data-testid="inbox-item">
                <div className="min-w-0">
                  <div className="font-medium text-slate-900">
                    {r.stepLabel} <span className="font-normal text-slate-500">· {r.workflowName}</span>
                  </div>
                  <div className="truncate text-sm text-slate-500">{r.instructions}</div>
                </div>
                <div className="shrink-0 text-xs text-slate-500">{when.format(new Date(r.createdAt))}</div>
              </Link>
            </li>
          ))}
          {reviews.length === 0 && <li className="px-4 py-10 text-center text-sm text-slate-500">Nothing waits for you. New reviews appear here when runs reach a Human Review step.</li>}
        </ul>
      </div>
    </Page>
  );
}
