import { notFound } from "next/navigation";
import { WorkflowEditor } from "@/components/canvas/workflow-editor";
import { AccessDenied } from "@/components/ui/access-denied";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { AppError } from "@/lib/errors/app-error";
import { can } from "@/lib/schemas/permissions";
import { getWorkflow } from "@/lib/workflows/workflows";

export const metadata = { title: "Workflow editor" };

export default async function WorkflowEditorPage({ params }: { params: Promise<{ id: string }> }) {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) {
    return (
      <Page>
        <AccessDenied role={viewer.role} need="builders and admins" />
      </Page>
    );
  }
  const { id } = await params;
  const workflow = await getWorkflow(viewer.workspace.id, id).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "not_found") notFound();
    throw e;
  });
  return <WorkflowEditor key={workflow.id} workflow={workflow} canWrite={can(viewer.role, "workflows:write")} canDecide={can(viewer.role, "reviews:decide")} />;
}
