import { WorkflowList } from "@/components/workflows/workflow-list";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Workflows" };

export default async function WorkflowsPage() {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) return <DeniedPage role={viewer.role} need="builders and admins" />;
  return (
    <Page>
      <WorkflowList canCreate={viewer.role !== "REVIEWER"} />
    </Page>
  );
}
