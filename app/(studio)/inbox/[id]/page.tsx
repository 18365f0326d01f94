import { ReviewDecisionView } from "@/components/inbox/review-decision";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { orNotFound, pageViewer } from "@/lib/auth/page-access";
import { getReview } from "@/lib/review/reviews";

export const metadata = { title: "Review" };

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { viewer, allowed } = await pageViewer("reviews:decide");
  if (!allowed) return <DeniedPage role={viewer.role} need="reviewers and admins" />;
  const { id } = await params;
  const review = await orNotFound(getReview(viewer, id));
  return (
    <Page>
      <ReviewDecisionView review={review} />
    </Page>
  );
}
