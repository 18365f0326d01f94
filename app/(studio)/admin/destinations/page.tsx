import Link from "next/link";
import { DestinationsPanel } from "@/components/admin/destinations-panel";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "HTTP destinations" };

export default async function DestinationsPage() {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return <DeniedPage role={viewer.role} need="admins" />;
  return (
    <Page>
      <div className="max-w-3xl space-y-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">HTTP destinations</h1>
          <p className="text-sm text-slate-600">
            The hosts this workspace&apos;s HTTP Request steps may call. Nothing is allowed until you add it; a redirect
            to a host not listed here is refused; private and loopback addresses are refused unless a host allows them.
            The review webhook and this workspace&apos;s own MCP servers and model providers may reach any public
            address, and a private one only when a host here allows it. Every request of a step is recorded in the{" "}
            <Link href="/admin/audit?topic=http" className="font-medium text-brand-700 underline">
              audit log
            </Link>
            . Keys for these services go in{" "}
            <Link href="/admin/variables" className="font-medium text-brand-700 underline">
              secrets
            </Link>
            .
          </p>
        </div>
        <DestinationsPanel />
      </div>
    </Page>
  );
}
