import { ToolsAdmin } from "@/components/mcp/tools-admin";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { isInstallationOwner } from "@/lib/workspaces/installation-owners";

export const metadata = { title: "Tools" };

export default async function ToolsPage() {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return <DeniedPage role={viewer.role} need="admins" />;
  return (
    <Page>
      <ToolsAdmin owner={await isInstallationOwner(viewer.user.id)} />
    </Page>
  );
}
