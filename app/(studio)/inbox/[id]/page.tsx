import { notFound } from "next/navigation";
import { ReviewDecisionView } from "@/components/inbox/review-decision";
import { AccessDenied } from "@/components/ui/access-denied";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { AppError } from "@/lib/errors/app-error";
import { getReview } from "@/lib/review/reviews";

export const metadata = { title: "Review" };

export default async function ReviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { viewer, allowed } = await pageViewer("reviews:decide");
  if (!allowed) {
    return (
      <Page>
        <AccessDenied role={viewer.role} need="reviewers and admins" />
      </Page>
    );
  }
  const { id } = await params;
  const review = await getReview(viewer, id).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  return (
    <Page>
      <ReviewDecisionView review={review} />
    </Page>
  );
}
