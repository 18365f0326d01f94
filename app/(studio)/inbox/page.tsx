import Link from "next/link";
import { BlockedReviews } from "@/components/inbox/blocked-reviews";
import { InboxList } from "@/components/inbox/inbox-list";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { listBlockedReviews } from "@/lib/review/review-access";
import { listPendingReviews } from "@/lib/review/reviews";
import { inboxQuerySchema } from "@/lib/schemas/review";

export const metadata = { title: "Inbox" };

/** Every pending review of the workspace this person may decide: filtered and sorted from the URL. */
export default async function InboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { viewer, allowed } = await pageViewer("reviews:decide");
  if (!allowed) return <DeniedPage role={viewer.role} need="reviewers and admins" />;
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = inboxQuerySchema.safeParse(raw);
  const query = parsed.success ? parsed.data : inboxQuerySchema.parse({});
  const [page, blocked] = await Promise.all([listPendingReviews(viewer, query), listBlockedReviews(viewer)]);
  return (
    <Page>
      <div className="space-y-6">
        <div className="flex flex-wrap items-end justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Inbox</h1>
            <p className="text-sm text-slate-600">
              Steps of running workflows that wait for your decision. New ones appear here as they come.
            </p>
          </div>
          <div className="flex gap-2">
            {viewer.role === "ADMIN" && (
              <Link
                href="/admin/notifications"
                className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100"
              >
                Notification settings
              </Link>
            )}
            <Link
              href="/inbox/history"
              className="rounded-md bg-white px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300 hover:bg-slate-50"
            >
              Decided reviews
            </Link>
          </div>
        </div>
        {!parsed.success && (
          <p className="text-sm text-amber-700">Some filters in the address were not understood and were reset.</p>
        )}
        <InboxList page={page} query={query} />
        <BlockedReviews reviews={blocked} admin={viewer.role === "ADMIN"} />
      </div>
    </Page>
  );
}
