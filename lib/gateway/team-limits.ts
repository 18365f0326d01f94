import "server-only";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import { AppError } from "../errors/app-error";
import type { LimitsInput, LimitsView } from "../schemas/gateway";
import { isInstallationOwner } from "../workspaces/installation-owners";
import { periodStart } from "./budget";
import { gatewayChanged, NO_LIMITS } from "./config";

/**
 * A workspace's (a team's) rate limits and budgets, with this period's spend: the team's own are
 * the organization's to set (installation owners, here or under Organization → Teams); each
 * person's the team's admins set, within the team's. Audited; every process is told at once.
 */
export async function getLimits(viewer: Viewer): Promise<LimitsView> {
  const prisma = await db();
  const row = await prisma.gatewaySettings.findUnique({ where: { workspaceId: viewer.workspace.id } });
  const limits: LimitsInput = row
    ? {
        userRpm: row.userRpm,
        userTpm: row.userTpm,
        workspaceRpm: row.workspaceRpm,
        workspaceTpm: row.workspaceTpm,
        workspaceBudgetUsd: row.workspaceBudgetUsd,
        userBudgetUsd: row.userBudgetUsd,
        budgetPeriod: row.budgetPeriod,
      }
    : NO_LIMITS;
  const start = periodStart(limits.budgetPeriod);
  const usage = await prisma.budgetUsage.findUnique({
    where: { key_periodStart: { key: `ws:${viewer.workspace.id}`, periodStart: start } },
  });
  return {
    ...limits,
    spent: { workspaceUsd: usage?.spentUsd ?? 0, periodStart: start.toISOString() },
    ownProviders: row?.ownProviders ?? false,
    mayChangeTeamLimits: await isInstallationOwner(viewer.user.id),
  };
}

/** The team's own limits: the organization's to set (installation owners). */
const TEAM_FIELDS = ["workspaceRpm", "workspaceTpm", "workspaceBudgetUsd", "budgetPeriod"] as const;
/** Each person's limit, and the team's limit it must stay within. */
const WITHIN = [
  ["userRpm", "workspaceRpm", "requests a minute"],
  ["userTpm", "workspaceTpm", "tokens a minute"],
  ["userBudgetUsd", "workspaceBudgetUsd", "USD"],
] as const;

export async function saveLimits(viewer: Viewer, input: LimitsInput): Promise<void> {
  const prisma = await db();
  const before = await prisma.gatewaySettings.findUnique({ where: { workspaceId: viewer.workspace.id } });
  const owner = await isInstallationOwner(viewer.user.id);
  const team = owner
    ? input
    : { workspaceRpm: null, workspaceTpm: null, workspaceBudgetUsd: null, budgetPeriod: "MONTH", ...before };
  const changed = TEAM_FIELDS.filter((f) => input[f] !== team[f]);
  if (changed.length)
    throw new AppError(
      "forbidden",
      `${changed.join(", ")}: the team's own limits are the organization's to set; an installation owner sets them under Organization → Teams.`,
      { fields: changed.map((f) => ({ path: `body.${f}`, message: "set by the organization" })) },
    );
  const over = WITHIN.filter(
    ([person, whole]) => input[person] != null && team[whole] != null && input[person] > team[whole]!,
  );
  if (over.length)
    throw new AppError(
      "bad_request",
      over.map(([person, whole, unit]) => `${person}: at most the team's ${team[whole]} ${unit}`).join("; "),
      {
        fields: over.map(([person, whole, unit]) => ({
          path: `body.${person}`,
          message: `At most the team's ${team[whole]} ${unit}`,
        })),
      },
    );
  // A team's admin writes only each person's limits: the team's may have changed meanwhile.
  const data = owner ? input : { userRpm: input.userRpm, userTpm: input.userTpm, userBudgetUsd: input.userBudgetUsd };
  await prisma.gatewaySettings.upsert({
    where: { workspaceId: viewer.workspace.id },
    create: { workspaceId: viewer.workspace.id, ...data },
    update: data,
  });
  await recordAudit(prisma, {
    workspaceId: viewer.workspace.id,
    actorId: viewer.user.id,
    action: "gateway.limits.update",
    targetType: "GatewaySettings",
    targetId: viewer.workspace.id,
    before: before ?? undefined,
    after: input,
  });
  await gatewayChanged(viewer.workspace.id);
}
