import Link from "next/link";
import { InboxList } from "@/components/inbox/inbox-list";
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
  return (
    <Page>
      <div className="space-y-6">
        <div className="flex items-end justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Inbox</h1>
            <p className="text-sm text-slate-600">Steps of running workflows that wait for your decision. New ones appear here as they come.</p>
          </div>
          <Link href="/inbox/history" className="rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50">
            Decided reviews
          </Link>
        </div>
        <InboxList items={reviews} />
      </div>
    </Page>
  );
}
