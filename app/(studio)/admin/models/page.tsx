import { LimitsSection } from "@/components/gateway/limits-section";
import { ModelsSection } from "@/components/gateway/models-section";
import { ProvidersSection } from "@/components/gateway/providers-section";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Models" };

export default async function ModelsPage() {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return <DeniedPage role={viewer.role} need="admins" />;
  return (
    <Page>
      <div className="space-y-8">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Models</h1>
          <p className="text-sm text-slate-600">
            Every model call in {viewer.workspace.name} goes through this gateway: who may use which model, how fast,
            for how much, and where the calls go.
          </p>
        </div>
        <ModelsSection />
        <div className="grid gap-8 lg:grid-cols-2">
          <ProvidersSection />
          <LimitsSection />
        </div>
      </div>
    </Page>
  );
}
