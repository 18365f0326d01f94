import Link from "next/link";
import { Logo } from "@/components/ui/logo";
import type { Viewer } from "@/lib/auth/session";
import { can } from "@/lib/schemas/permissions";
import { LiveStatusProvider } from "./live-status";
import { NavLinks } from "./nav-links";
import { ShellHeader } from "./shell-header";
import { NotificationBell } from "./notification-bell";
import { UserMenu } from "./user-menu";
import { WorkspaceSwitcher } from "./workspace-switcher";

/** The studio's frame: top bar with the workspace, the sections this role may use, notifications, and the user. */
export function AppShell({
  viewer,
  nav,
  owner = false,
  children,
}: {
  viewer: Viewer;
  nav: { href: string; label: string; live?: "inbox" }[];
  /** An installation owner: the Organization area is theirs (in the menu under their name). */
  owner?: boolean;
  children: React.ReactNode;
}) {
  return (
    <LiveStatusProvider>
      <div className="flex min-h-full flex-col">
        <ShellHeader>
          {/* Wraps rather than hides: on a narrow screen the links go onto a second line. */}
          <div className="mx-auto flex min-h-14 max-w-screen-2xl flex-wrap items-center gap-x-3 gap-y-1 px-6 py-2">
            <Link href="/" aria-label="Flowdeck home">
              <Logo />
            </Link>
            <WorkspaceSwitcher
              current={viewer.workspace}
              workspaces={viewer.workspaces}
              canCreate={viewer.role === "ADMIN"}
            />
            <NavLinks items={nav} />
            <div className="ml-auto flex shrink-0 items-center gap-2">
              <NotificationBell />
              <UserMenu
                name={viewer.user.name}
                email={viewer.user.email}
                role={viewer.role}
                owner={owner}
                workspaceAdmin={can(viewer.role, "workspace:admin")}
              />
            </div>
          </div>
        </ShellHeader>
        <main className="flex flex-1 flex-col">{children}</main>
      </div>
    </LiveStatusProvider>
  );
}
