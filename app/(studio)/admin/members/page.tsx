import { MembersPanel } from "@/components/admin/members-panel";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Members" };

export default async function MembersPage() {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return <DeniedPage role={viewer.role} need="admins" />;
  return (
    <Page>
      <MembersPanel selfUserId={viewer.user.id} workspaceName={viewer.workspace.name} />
    </Page>
  );
}
