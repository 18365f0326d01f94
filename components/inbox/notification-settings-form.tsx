"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useConfirm } from "@/components/ui/confirm";
import { api, ApiError } from "@/lib/queries/api-client";
import type { NotificationSettingsView } from "@/lib/review/notification-settings";

/** The webhook (URL and signing secret, write-only) and email switch for review notifications. */
export function NotificationSettingsForm({ initial }: { initial: NotificationSettingsView }) {
  const [settings, setSettings] = useState(initial);
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  // Said in the section that was acted on, beside its buttons (a webhook's test, the email switch).
  type Where = "webhook" | "email";
  const [message, setMessage] = useState<{ tone: "success" | "error"; text: string; where: Where } | null>(null);
  const confirm = useConfirm();

  async function save(body: Record<string, unknown>, label: string, done: string) {
    const where: Where = label === "email" ? "email" : "webhook";
    setBusy(label);
    setMessage(null);
    try {
      setSettings(await api<NotificationSettingsView>("/api/admin/notifications", { method: "PUT", body }));
      setUrl("");
      setSecret("");
      setMessage({ tone: "success", text: done, where });
    } catch (e) {
      setMessage({ tone: "error", text: e instanceof ApiError ? e.message : String(e), where });
    } finally {
      setBusy(null);
    }
  }

  async function test() {
    setBusy("test");
    setMessage(null);
    try {
      const r = await api<{ ok: boolean; message: string }>("/api/admin/notifications/test", { body: {} });
      setMessage({ tone: r.ok ? "success" : "error", text: r.message, where: "webhook" });
    } catch (e) {
      setMessage({ tone: "error", text: e instanceof ApiError ? e.message : String(e), where: "webhook" });
    } finally {
      setBusy(null);
    }
  }

  async function remove() {
    const yes = await confirm({
      title: "Remove the review webhook?",
      message:
        "Review events stop going to it at once, and its signing secret is forgotten: to send them again, enter the URL and secret anew.",
      action: "Remove webhook",
      keep: "Keep it",
    });
    if (yes) await save({ webhookUrl: "", webhookSecret: "" }, "remove", "Webhook removed.");
  }

  const said = (where: Where) =>
    message?.where === where && (
      <Alert tone={message.tone} testId="settings-message">
        {message.text}
      </Alert>
    );
  const input =
    "block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-slate-300 ring-inset focus:ring-2 focus:ring-brand-500";
  return (
    <div className="space-y-6">
      <section
        aria-labelledby="webhook-heading"
        className="space-y-3 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
      >
        <h2 id="webhook-heading" className="font-semibold">
          Webhook
        </h2>
        <p className="text-sm text-slate-600" data-testid="webhook-status">
          {settings.webhook ? (
            <>
              Sending to <code className="rounded bg-slate-100 px-1">{settings.webhook}</code>
              {settings.hasSecret ? ", signed (X-Flowdeck-Signature: t=…,v1=…; see docs/webhooks.md)." : ", unsigned."}
            </>
          ) : (
            "No webhook: review events stay in the app."
          )}
        </p>
        <p className="text-xs text-slate-500">
          Each event (review.created, review.assigned, review.escalated, review.decided) is POSTed as JSON with a link
          to the review; a receiver that is down gets it again later.
        </p>
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            void save({ webhookUrl: url, ...(secret && { webhookSecret: secret }) }, "save", "Webhook saved.");
          }}
        >
          <div>
            <label htmlFor="webhook-url" className="block text-sm font-medium">
              {settings.webhook ? "New webhook URL" : "Webhook URL"}
            </label>
            <input
              id="webhook-url"
              className={input}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://hooks.example.com/flowdeck"
              autoComplete="off"
            />
          </div>
          <div>
            <label htmlFor="webhook-secret" className="block text-sm font-medium">
              Signing secret{" "}
              <span className="font-normal text-slate-500">(optional; stored encrypted, never shown again)</span>
            </label>
            <input
              id="webhook-secret"
              type="password"
              className={input}
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              autoComplete="new-password"
            />
          </div>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" busy={busy === "save"} disabled={!url.trim() || !!busy}>
              Save webhook
            </Button>
            {settings.webhook && (
              <>
                <Button type="button" variant="secondary" busy={busy === "test"} disabled={!!busy} onClick={test}>
                  Send a test
                </Button>
                <Button
                  type="button"
                  variant="danger"
                  busy={busy === "remove"}
                  disabled={!!busy}
                  onClick={() => void remove()}
                >
                  Remove
                </Button>
              </>
            )}
          </div>
        </form>
        {said("webhook")}
      </section>
      <section
        aria-labelledby="email-heading"
        className="space-y-3 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
      >
        <h2 id="email-heading" className="font-semibold">
          Email
        </h2>
        {settings.smtpConfigured ? (
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={settings.email}
              disabled={!!busy}
              onChange={(e) => {
                const on = e.target.checked;
                setSettings((s) => ({ ...s, email: on }));
                void save({ email: on }, "email", on ? "Email turned on." : "Email turned off.");
              }}
            />
            Email the people concerned (and, for a new review for a role, the role&apos;s members)
          </label>
        ) : (
          <p className="text-sm text-slate-600">
            This server cannot send email: start it with SMTP_URL (such as smtp://user:password@mail.example.com:587)
            and SMTP_FROM to turn email on.
          </p>
        )}
        {said("email")}
      </section>
    </div>
  );
}
