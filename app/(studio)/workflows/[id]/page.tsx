import { WorkflowEditor } from "@/components/canvas/workflow-editor";
import { DeniedPage } from "@/components/ui/denied-page";
import { orNotFound, pageViewer } from "@/lib/auth/page-access";
import { can } from "@/lib/schemas/permissions";
import { reviewDefaultsOf } from "@/lib/workflows/review-defaults";
import { getWorkflow } from "@/lib/workflows/workflows";

export const metadata = { title: "Workflow editor" };

export default async function WorkflowEditorPage({ params }: { params: Promise<{ id: string }> }) {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) return <DeniedPage role={viewer.role} need="builders and admins" />;
  const { id } = await params;
  const [workflow, reviewDefaults] = await Promise.all([
    orNotFound(getWorkflow(viewer.workspace.id, id)),
    reviewDefaultsOf(viewer.workspace.id),
  ]);
  return (
    <WorkflowEditor
      key={workflow.id}
      workflow={workflow}
      canWrite={can(viewer.role, "workflows:write")}
      canDecide={can(viewer.role, "reviews:decide")}
      canAdmin={can(viewer.role, "workspace:admin")}
      // A request that waits for a person goes to the same people: in a workspace of one admin, them.
      newStepDefaults={{
        "human-review": reviewDefaults,
        http: { allowSelfApproval: reviewDefaults.allowSelfApproval },
      }}
    />
  );
}
