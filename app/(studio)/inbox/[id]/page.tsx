import { ReviewDecisionView } from "@/components/inbox/review-decision";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { orNotFound, pageViewer } from "@/lib/auth/page-access";
import { AppError } from "@/lib/errors/app-error";
import { getReview } from "@/lib/review/reviews";

export const metadata = { title: "Review" };

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { viewer, allowed } = await pageViewer("reviews:decide");
  if (!allowed) return <DeniedPage role={viewer.role} need="reviewers and admins" />;
  const { id } = await params;
  const review = await orNotFound(getReview(viewer, id)).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "forbidden") return error.message;
    throw error;
  });
  // Not for them (another role's, or someone else has it): say whose it is, show nothing of it.
  if (typeof review === "string") return <DeniedPage role={viewer.role} need="the people it is for" reason={review} />;
  return (
    <Page>
      <ReviewDecisionView review={review} />
    </Page>
  );
}
