import { MembersPanel } from "@/components/admin/members-panel";
import { AccessDenied } from "@/components/ui/access-denied";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Members" };

export default async function MembersPage() {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return <AccessDenied role={viewer.role} need="admins" />;
  return <MembersPanel selfUserId={viewer.user.id} workspaceName={viewer.workspace.name} />;
}
