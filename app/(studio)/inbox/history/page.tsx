import Link from "next/link";
import { OutcomeFilter } from "@/components/inbox/outcome-filter";
import { ReviewHistory } from "@/components/inbox/review-history";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { listDecidedReviews } from "@/lib/review/reviews";

export const metadata = { title: "Decided reviews" };

export default async function ReviewHistoryPage({
  searchParams,
}: {
  searchParams: Promise<{ outcome?: string | string[] }>;
}) {
  const { viewer, allowed } = await pageViewer("reviews:decide");
  if (!allowed) return <DeniedPage role={viewer.role} need="reviewers and admins" />;
  const raw = (await searchParams).outcome;
  const outcome = (Array.isArray(raw) ? raw[0] : raw)?.slice(0, 64) ?? "";
  const { items, outcomes } = await listDecidedReviews(viewer, { outcome: outcome || undefined });
  return (
    <Page>
      <div className="space-y-6">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <Link href="/inbox" className="text-sm text-brand-700 hover:underline">
              ← Inbox
            </Link>
            <h1 className="text-2xl font-semibold tracking-tight">Decided reviews</h1>
            <p className="text-sm text-slate-600">Who decided what, when, and what they changed.</p>
          </div>
          <OutcomeFilter outcomes={outcomes} value={outcome} />
        </div>
        <ReviewHistory items={items} />
      </div>
    </Page>
  );
}
