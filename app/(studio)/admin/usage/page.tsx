import { UsageDashboard } from "@/components/gateway/usage-dashboard";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Usage" };

export default async function UsagePage() {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return <DeniedPage role={viewer.role} need="admins" />;
  return (
    <Page>
      <UsageDashboard />
    </Page>
  );
}
