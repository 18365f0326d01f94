import { ChangePasswordForm } from "@/components/settings/change-password-form";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";

export const metadata = { title: "Account" };

export default async function AccountPage() {
  const { viewer } = await pageViewer();
  return (
    <Page>
      <div className="space-y-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Account</h1>
          <p className="text-sm text-slate-600">
            {viewer.user.name} ({viewer.user.email})
          </p>
        </div>
        <ChangePasswordForm email={viewer.user.email} />
      </div>
    </Page>
  );
}
