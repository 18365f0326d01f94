import Link from "next/link";
import { ReviewHistory } from "@/components/inbox/review-history";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { listDecidedReviews } from "@/lib/review/reviews";

export const metadata = { title: "Decided reviews" };

export default async function ReviewHistoryPage() {
  const { viewer, allowed } = await pageViewer("reviews:decide");
  if (!allowed) return <DeniedPage role={viewer.role} need="reviewers and admins" />;
  const items = await listDecidedReviews(viewer);
  return (
    <Page>
      <div className="space-y-6">
        <div>
          <Link href="/inbox" className="text-sm text-brand-700 hover:underline">
            ← Inbox
          </Link>
          <h1 className="text-2xl font-semibold tracking-tight">Decided reviews</h1>
          <p className="text-sm text-slate-600">Who decided what, when, and what they changed.</p>
        </div>
        <ReviewHistory items={items} />
      </div>
    </Page>
  );
}
