import { MembersPanel } from "@/components/admin/members-panel";
import { AccessDenied } from "@/components/ui/access-denied";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Members" };

export default async function MembersPage() {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return (
      <Page>
        <AccessDenied role={viewer.role} need="admins" />
      </Page>
    );
  return (
    <Page>
      <MembersPanel selfUserId={viewer.user.id} workspaceName={viewer.workspace.name} />
    </Page>
  );
}
