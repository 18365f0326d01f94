import Link from "next/link";
import { GrantedModelsSection } from "@/components/gateway/granted-models-section";
import { LimitsSection } from "@/components/gateway/limits-section";
import { ModelsSection } from "@/components/gateway/models-section";
import { ProvidersSection } from "@/components/gateway/providers-section";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { ownsProviders } from "@/lib/gateway/admin";
import { isInstallationOwner } from "@/lib/workspaces/installation-owners";

export const metadata = { title: "Models" };

export default async function ModelsPage() {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return <DeniedPage role={viewer.role} need="admins" />;
  const [own, owner] = await Promise.all([ownsProviders(viewer.workspace.id), isInstallationOwner(viewer.user.id)]);
  return (
    <Page>
      <div className="space-y-8">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Models</h1>
          <p className="text-sm text-slate-600">
            Every model call in {viewer.workspace.name} goes through the organization&rsquo;s gateway: the models
            granted to this workspace, who here may use which, and how fast and for how much.
            {owner && (
              <>
                {" "}
                As an installation owner, you manage providers, models and grants under{" "}
                <Link href="/organization/models" className="text-brand-700 underline">
                  Organization
                </Link>
                .
              </>
            )}
          </p>
        </div>
        <GrantedModelsSection teamName={viewer.workspace.name} owner={owner} />
        <LimitsSection />
        {own ? (
          <div className="space-y-8">
            <ModelsSection />
            <ProvidersSection />
          </div>
        ) : (
          <p className="text-sm text-slate-600" data-testid="own-providers-note">
            {viewer.workspace.name} uses the organization&rsquo;s providers. To connect providers of its own,{" "}
            {owner ? "turn on" : "an installation owner turns on"} &ldquo;bring your own key&rdquo; for it under{" "}
            {owner ? (
              <Link href="/organization/teams" className="text-brand-700 underline">
                Organization → Teams
              </Link>
            ) : (
              "Organization → Teams"
            )}
            .
          </p>
        )}
      </div>
    </Page>
  );
}
