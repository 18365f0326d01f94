import { OrganizationNav } from "@/components/organization/organization-nav";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { isInstallationOwner } from "@/lib/workspaces/installation-owners";

/** The Organization area: what holds for every workspace (installation owners only). */
export default async function OrganizationLayout({ children }: { children: React.ReactNode }) {
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
      <div className="space-y-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Organization</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-600">
            One gateway for every team (workspace) of this installation: the providers and models, which team may use
            which and how much, the organization&rsquo;s budget and rate limits, guardrail policies on every model call,
            and the tool servers granted to teams.
          </p>
        </div>
        <OrganizationNav />
        {children}
      </div>
    </Page>
  );
}
