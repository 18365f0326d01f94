import { OrganizationPage } from "@/components/organization/organization-page";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { isInstallationOwner } from "@/lib/workspaces/installation-owners";

export const metadata = { title: "Organization" };

/** The Organization area: what holds for every workspace (installation owners only). */
export default async function Organization() {
  const { viewer } = await pageViewer();
  if (!(await isInstallationOwner(viewer.user.id)))
    return (
      <DeniedPage
        role={viewer.role}
        need="installation owners"
        reason="The Organization area is for installation owners: what is set here applies to every workspace."
      />
    );
  return (
    <Page>
      <OrganizationPage />
    </Page>
  );
}
