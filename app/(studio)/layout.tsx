import { AppShell } from "@/components/shell/app-shell";
import { pageViewer } from "@/lib/auth/page-access";
import { can } from "@/lib/schemas/permissions";
import { isInstallationOwner } from "@/lib/workspaces/installation-owners";

export const dynamic = "force-dynamic";

export default async function StudioLayout({ children }: { children: React.ReactNode }) {
  const { viewer } = await pageViewer();
  const nav = [
    { href: "/", label: "Home", show: true },
    { href: "/workflows", label: "Workflows", show: can(viewer.role, "workflows:read") },
    { href: "/inbox", label: "Inbox", show: can(viewer.role, "reviews:decide"), live: "inbox" as const },
    { href: "/dashboard", label: "Dashboard", show: can(viewer.role, "workflows:read") },
    { href: "/admin/models", label: "Models", show: can(viewer.role, "workspace:admin") },
    { href: "/admin/usage", label: "Usage", show: can(viewer.role, "workspace:admin") },
    { href: "/admin/tools", label: "Tools", show: can(viewer.role, "workspace:admin") },
    { href: "/admin/members", label: "Members", show: can(viewer.role, "workspace:admin") },
  ].filter((item) => item.show);
  return (
    <AppShell viewer={viewer} nav={nav} owner={await isInstallationOwner(viewer.user.id)}>
      {children}
    </AppShell>
  );
}
