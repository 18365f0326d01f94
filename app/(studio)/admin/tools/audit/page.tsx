import { ToolAudit } from "@/components/mcp/tool-audit";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Tool audit trail" };

export default async function ToolAuditPage() {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return <DeniedPage role={viewer.role} need="admins" />;
  return (
    <Page>
      <ToolAudit />
    </Page>
  );
}
