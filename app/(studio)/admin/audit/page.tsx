import { AuditLog } from "@/components/admin/audit-log";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { auditLogQuerySchema } from "@/lib/schemas/audit-log";

export const metadata = { title: "Audit log" };

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<{ topic?: string }> }) {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return <DeniedPage role={viewer.role} need="admins" />;
  // A link may open it on one topic (HTTP destinations opens it on the requests sent).
  const topic = auditLogQuerySchema.shape.topic.safeParse((await searchParams).topic);
  return (
    <Page>
      <AuditLog workspaceName={viewer.workspace.name} topic={topic.success ? topic.data : undefined} />
    </Page>
  );
}
