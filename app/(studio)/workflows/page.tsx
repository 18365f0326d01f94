import { WorkflowList } from "@/components/workflows/workflow-list";
import { AccessDenied } from "@/components/ui/access-denied";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Workflows" };

export default async function WorkflowsPage() {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) return (
      <Page>
        <AccessDenied role={viewer.role} need="builders and admins" />
      </Page>
    );
  return (
    <Page>
      <WorkflowList canCreate={viewer.role !== "REVIEWER"} />
    </Page>
  );
}
