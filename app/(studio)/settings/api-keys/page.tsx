import { headers } from "next/headers";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";
import { ApplicationKeysPanel } from "@/components/settings/application-keys-panel";
import { can } from "@/lib/schemas/permissions";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const { viewer } = await pageViewer();
  const h = await headers();
  const origin = `${h.get("x-forwarded-proto") ?? "http"}://${h.get("host") ?? "localhost:3000"}`;
  return (
    <Page>
      <div className="space-y-12">
        <ApiKeysPanel workspaceName={viewer.workspace.name} origin={origin} />
        {can(viewer.role, "workspace:admin") && <ApplicationKeysPanel />}
      </div>
    </Page>
  );
}
