import { TestsPage } from "@/components/tests/tests-page";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { orNotFound, pageViewer } from "@/lib/auth/page-access";
import { outcomesOf, reviewSteps } from "@/lib/evaluations/mocks";
import { startConfigOf } from "@/lib/schemas/node-kinds/start";
import { getWorkflow } from "@/lib/workflows/workflows";

export const metadata = { title: "Tests" };

/** A workflow's test cases, evaluators and evaluations. */
export default async function WorkflowTestsPage({ params }: { params: Promise<{ id: string }> }) {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) return <DeniedPage role={viewer.role} need="builders and admins" />;
  const { id } = await params;
  const workflow = await orNotFound(getWorkflow(viewer.workspace.id, id));
  const steps = reviewSteps(workflow.graph).map((n) => ({
    id: n.id,
    label: n.label || n.id,
    outcomes: outcomesOf(n),
  }));
  const startFields = startConfigOf(workflow.graph).fields.map(({ name, type, required }) => ({
    name,
    type,
    required,
  }));
  return (
    <Page>
      <TestsPage
        workflow={{ id: workflow.id, name: workflow.name, publishedVersion: workflow.publishedVersion }}
        reviewSteps={steps}
        startFields={startFields}
      />
    </Page>
  );
}
