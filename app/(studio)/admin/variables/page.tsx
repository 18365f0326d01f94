import Link from "next/link";
import { VariablesPanel } from "@/components/admin/variables-panel";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { can } from "@/lib/schemas/permissions";

export const metadata = { title: "Variables" };

export default async function VariablesPage() {
  const { viewer, allowed } = await pageViewer("workflows:read");
  if (!allowed) return <DeniedPage role={viewer.role} need="builders and admins" />;
  const canEdit = can(viewer.role, "workspace:admin");
  return (
    <Page>
      <div className="max-w-4xl space-y-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Variables and secrets</h1>
          <p className="text-sm text-slate-600">
            Values every workflow of this workspace can use. A variable is plain text, written{" "}
            <code className="font-mono">{"{{vars.name}}"}</code> in any step. A secret (an API key, a password) is
            sealed at rest, written <code className="font-mono">{"{{secrets.name}}"}</code> in an HTTP Request
            step&apos;s URL, headers or body, and never shown again: runs, traces, logs and exports show{" "}
            <code className="font-mono">[secret:name]</code> instead. Changing one takes effect for the next run, with
            no workflow edit.
            {!canEdit && " Only admins add or change them."}
          </p>
          {canEdit && (
            <p className="mt-2 text-sm">
              <Link href="/admin/destinations" className="font-medium text-brand-700 underline">
                HTTP destinations
              </Link>{" "}
              <span className="text-slate-600">(the hosts HTTP Request steps may call)</span>
            </p>
          )}
        </div>
        <VariablesPanel canEdit={canEdit} />
      </div>
    </Page>
  );
}
