import "server-only";
import { env } from "../config/env";
import { db } from "../db/client";
import { ORGANIZATION_CAP, periodStart } from "../gateway/budget";
import { logger } from "../log/logger";
import { sendDelivery } from "./jobs";
import { publicUrl } from "./notify";

/** The shares of a budget at which its people are told. */
export const ALERT_PERCENTS = [50, 80, 100] as const;

interface Watched {
  key: string;
  limitUsd: number;
  period: "DAY" | "MONTH";
  /** Null: the organization's budget (installation owners are told). */
  workspaceId: string | null;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/**
 * Budget alerts: when spend passes 50, 80 and 100% of the organization's budget or a workspace's,
 * its people are told once per period and share (a `BudgetAlert` row claims each, so several
 * processes sweeping at once tell them once): in the app (the bell), by email when the
 * installation sends email, and on the workspace's webhook. Answers how many alerts went out.
 */
export async function checkBudgetAlerts(now = new Date()): Promise<number> {
  const prisma = await db();
  const [organization, workspaces] = await Promise.all([
    prisma.organizationSettings.findUnique({ where: { id: "organization" } }),
    prisma.gatewaySettings.findMany({ where: { workspaceBudgetUsd: { not: null } } }),
  ]);
  const watched: Watched[] = [
    ...(organization?.budgetUsd
      ? [
          {
            key: ORGANIZATION_CAP,
            limitUsd: organization.budgetUsd,
            period: organization.budgetPeriod,
            workspaceId: null,
          },
        ]
      : []),
    ...workspaces
      .filter((w) => w.workspaceBudgetUsd! > 0)
      .map((w) => ({
        key: `ws:${w.workspaceId}`,
        limitUsd: w.workspaceBudgetUsd!,
        period: w.budgetPeriod,
        workspaceId: w.workspaceId,
      })),
  ];
  let sent = 0;
  for (const cap of watched) {
    const start = periodStart(cap.period, now);
    const row = await prisma.budgetUsage.findUnique({
      where: { key_periodStart: { key: cap.key, periodStart: start } },
    });
    if (!row) continue;
    const share = (row.spentUsd / cap.limitUsd) * 100;
    const passed = ALERT_PERCENTS.filter((p) => share >= p);
    if (!passed.length) continue;
    // Claim every share passed; tell only of the highest newly claimed (0 → 100% is one alert).
    const claimed: number[] = [];
    for (const percent of passed) {
      const made = await prisma.budgetAlert.createMany({
        data: [{ key: cap.key, periodStart: start, percent }],
        skipDuplicates: true,
      });
      if (made.count) claimed.push(percent);
    }
    if (!claimed.length) continue;
    await tell(cap, Math.max(...claimed), row.spentUsd, start);
    sent += 1;
  }
  return sent;
}

async function tell(cap: Watched, percent: number, spentUsd: number, start: Date): Promise<void> {
  const prisma = await db();
  const per = cap.period === "DAY" ? "daily" : "monthly";
  const whose = cap.workspaceId
    ? `${(await prisma.workspace.findUnique({ where: { id: cap.workspaceId }, select: { name: true } }))?.name ?? "A workspace"}`
    : "The organization";
  const title =
    percent >= 100
      ? `${whose} has used its whole ${per} model budget: calls that would pass it are refused`
      : `${whose} has used ${percent}% of its ${per} model budget`;
  const body = `${usd(spentUsd)} of ${usd(cap.limitUsd)} spent since ${start.toISOString().slice(0, 10)}.`;
  const link = cap.workspaceId ? "/admin/usage" : "/organization";
  // Who is told: the workspace's admins, or the installation owners (in a workspace of theirs).
  const people = cap.workspaceId
    ? await prisma.membership.findMany({
        where: { workspaceId: cap.workspaceId, role: "ADMIN", status: "ACTIVE" },
        select: { userId: true, workspaceId: true, user: { select: { email: true } } },
      })
    : (
        await prisma.user.findMany({
          where: { installationOwner: true },
          select: {
            id: true,
            email: true,
            memberships: { where: { status: "ACTIVE" }, select: { workspaceId: true }, take: 1 },
          },
        })
      )
        .filter((u) => u.memberships.length)
        .map((u) => ({ userId: u.id, workspaceId: u.memberships[0]!.workspaceId, user: { email: u.email } }));
  if (people.length)
    await prisma.notification.createMany({
      data: people.map((p) => ({
        workspaceId: p.workspaceId,
        userId: p.userId,
        kind: "budget.alert",
        title,
        body,
        link,
      })),
    });
  // Email and the webhook as the workspace set them (for the organization's budget: email, when the server sends it).
  const settings = cap.workspaceId
    ? await prisma.notificationSettings.findUnique({ where: { workspaceId: cap.workspaceId } })
    : null;
  if (env().SMTP_URL && (!cap.workspaceId || settings?.email))
    for (const p of people)
      await sendDelivery({ channel: "email", to: p.user.email, subject: title, text: `${body}\n\n${publicUrl(link)}` });
  if (cap.workspaceId && settings?.webhookUrl)
    await sendDelivery({
      channel: "webhook",
      workspaceId: cap.workspaceId,
      event: "budget.alert",
      body: JSON.stringify({ event: "budget.alert", percent, spentUsd, budgetUsd: cap.limitUsd, period: cap.period }),
    });
  logger().info({ cap: cap.key, percent }, "budget alert sent");
}

/** The host's sweep for budget alerts, every `everyMs`; answers its stop. */
export async function startBudgetAlerts(everyMs = 60_000): Promise<() => Promise<void>> {
  const timer = setInterval(
    () =>
      void checkBudgetAlerts().catch((error: unknown) =>
        logger().warn({ err: error }, "could not check the budgets for alerts"),
      ),
    everyMs,
  );
  timer.unref();
  return async () => clearInterval(timer);
}
