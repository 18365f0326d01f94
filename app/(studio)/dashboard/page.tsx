import { RunDashboard } from "@/components/dashboard/run-dashboard";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) return <DeniedPage role={viewer.role} need="builders and admins" />;
  return (
    <Page>
      <RunDashboard />
    </Page>
  );
}
