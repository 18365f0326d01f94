import { WorkflowList } from "@/components/workflows/workflow-list";
import { AccessDenied } from "@/components/ui/access-denied";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Workflows" };

export default async function WorkflowsPage() {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) return <AccessDenied role={viewer.role} need="builders and admins" />;
  return <WorkflowList canCreate={viewer.role !== "REVIEWER"} />;
}
