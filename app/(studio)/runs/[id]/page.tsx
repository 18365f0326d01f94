import { RunDetail } from "@/components/runs/run-detail";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { orNotFound, pageViewer } from "@/lib/auth/page-access";
import { withReviewAccess } from "@/lib/review/review-access";
import { getRun } from "@/lib/runs/read-runs";
import { can } from "@/lib/schemas/permissions";

export const metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) return <DeniedPage role={viewer.role} need="builders and admins" />;
  const { id } = await params;
  const run = await withReviewAccess(viewer, await orNotFound(getRun(viewer.workspace.id, id)));
  return (
    <Page>
      <RunDetail initial={run} canCancel={can(viewer.role, "workflows:write")} />
    </Page>
  );
}
