import { WorkflowEditor } from "@/components/canvas/workflow-editor";
import { DeniedPage } from "@/components/ui/denied-page";
import { orNotFound, pageViewer } from "@/lib/auth/page-access";
import { can } from "@/lib/schemas/permissions";
import { getWorkflow } from "@/lib/workflows/workflows";

export const metadata = { title: "Workflow editor" };

export default async function WorkflowEditorPage({ params }: { params: Promise<{ id: string }> }) {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) return <DeniedPage role={viewer.role} need="builders and admins" />;
  const { id } = await params;
  const workflow = await orNotFound(getWorkflow(viewer.workspace.id, id));
  return (
    <WorkflowEditor
      key={workflow.id}
      workflow={workflow}
      canWrite={can(viewer.role, "workflows:write")}
      canDecide={can(viewer.role, "reviews:decide")}
    />
  );
}
