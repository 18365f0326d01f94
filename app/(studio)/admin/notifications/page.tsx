import { NotificationSettingsForm } from "@/components/inbox/notification-settings-form";
import { DeniedPage } from "@/components/ui/denied-page";
import { Page } from "@/components/ui/page";
import { pageViewer } from "@/lib/auth/page-access";
import { getNotificationSettings } from "@/lib/review/notification-settings";

export const metadata = { title: "Notifications" };

export default async function NotificationSettingsPage() {
  const { viewer, allowed } = await pageViewer("workspace:admin");
  if (!allowed) return <DeniedPage role={viewer.role} need="admins" />;
  return (
    <Page>
      <div className="max-w-2xl space-y-6">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Review notifications</h1>
          <p className="text-sm text-slate-600">
            People are told in the app (the bell) when a review is handed to them or escalated to their role, and when
            their run&apos;s review is decided. Here you can also send every review event to a webhook (a chat channel,
            an incident tool) and by email.
          </p>
        </div>
        <NotificationSettingsForm initial={await getNotificationSettings(viewer)} />
      </div>
    </Page>
  );
}
