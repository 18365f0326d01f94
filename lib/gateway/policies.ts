import "server-only";
import type { Viewer } from "../auth/session";
import { recordAudit } from "../audit/record";
import { db } from "../db/client";
import type { Prisma } from "../db/generated/client";
import { AppError, notFound } from "../errors/app-error";
import {
  GUARDRAIL_KIND_LABELS,
  policyInputSchema,
  policyRulesSchema,
  type PolicyInput,
  type PolicyRules,
  type PolicyView,
  type TryView,
  type ViolationView,
} from "../schemas/guardrail-policy";
import { requireInstallationOwner } from "../workspaces/installation-owners";
import { everyGatewayChanged, organizationModels } from "./config";
import { governedModel } from "./pipeline";
import { AnswerRedactor } from "./policy-answers";
import { guardCall } from "./policy-guard";
import { blockedTopic, judgeTopic } from "./policy-topics";
import { flushViolations } from "./violations";

/**
 * Guardrail policies, the organization's: installation owners (the organization's admins) set
 * them for every workspace or one, and read what they did everywhere. Changes are audited and
 * reach every process at once (the gateway's notified cache).
 */
const ORGANIZATION = "it applies to every team's model calls";
const owner = (viewer: Viewer, what: string) => requireInstallationOwner(viewer, what, ORGANIZATION);

async function view(
  rows: { id: string; name: string; workspaceId: string | null; enabled: boolean; rules: unknown; updatedAt: Date }[],
) {
  const ids = [...new Set(rows.map((r) => r.workspaceId).filter((id): id is string => id !== null))];
  const names = new Map(
    (await (await db()).workspace.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map(
      (w) => [w.id, w.name],
    ),
  );
  return rows.map((r): PolicyView => ({
    id: r.id,
    name: r.name,
    workspaceId: r.workspaceId,
    workspaceName: r.workspaceId ? (names.get(r.workspaceId) ?? "a deleted workspace") : null,
    enabled: r.enabled,
    // An unreadable row shows as doing nothing (the gateway refuses its calls until it is saved again).
    rules: policyRulesSchema.safeParse(r.rules).data ?? policyRulesSchema.parse({}),
    updatedAt: r.updatedAt.toISOString(),
  }));
}

export async function listPolicies(
  viewer: Viewer,
): Promise<{ policies: PolicyView[]; workspaces: { id: string; name: string }[] }> {
  await owner(viewer, "see the organization's guardrail policies");
  const prisma = await db();
  const [rows, workspaces] = await Promise.all([
    prisma.guardrailPolicy.findMany({ orderBy: { createdAt: "asc" } }),
    prisma.workspace.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  return { policies: await view(rows), workspaces };
}

/**
 * A policy's topic judge is one of the organization's models and, for a policy switched on,
 * answers now: a judge that cannot answer would refuse every call the policy covers.
 */
async function checkJudge(viewer: Viewer, rules: PolicyRules, enabled: boolean): Promise<void> {
  const { blocked, model } = rules.topics;
  if (!blocked.length || !model) return;
  const judge = (await organizationModels([model])).get(model);
  const refuse = (message: string, field: string) => {
    throw new AppError("bad_request", `rules.topics.model: ${message}`, {
      fields: [{ path: "body.rules.topics.model", message: field }],
    });
  };
  if (!judge) return refuse(`the organization has no model “${model}”.`, "not one of the organization's models");
  if (!enabled) return;
  try {
    await judgeTopic(governedModel(model, { ...judgeCaller(viewer), judge }), blocked, "Hello.");
  } catch (error) {
    refuse(
      `the judge “${model}” could not answer (${(error as Error).message}), so every call this policy covers would be refused. Fix the model, or save the policy switched off.`,
      `“${model}” could not answer`,
    );
  }
}

const judgeCaller = (viewer: Viewer) => ({
  workspaceId: viewer.workspace.id,
  userId: viewer.user.id,
  role: viewer.role,
  source: "api" as const,
});

export async function savePolicy(viewer: Viewer, id: string | null, input: PolicyInput): Promise<PolicyView> {
  await owner(viewer, id ? "change a guardrail policy" : "add a guardrail policy");
  const data = policyInputSchema.parse(input);
  const prisma = await db();
  if (data.workspaceId && !(await prisma.workspace.findUnique({ where: { id: data.workspaceId } })))
    throw notFound("Workspace");
  await checkJudge(viewer, data.rules, data.enabled);
  const row = await prisma.$transaction(async (tx) => {
    const before = id ? await tx.guardrailPolicy.findUnique({ where: { id } }) : null;
    if (id && !before) throw notFound("Guardrail policy");
    const fields = { ...data, rules: data.rules as unknown as Prisma.InputJsonValue };
    const saved = id
      ? await tx.guardrailPolicy.update({ where: { id }, data: fields })
      : await tx.guardrailPolicy.create({ data: { ...fields, createdById: viewer.user.id } });
    await recordAudit(tx, {
      workspaceId: data.workspaceId,
      actorId: viewer.user.id,
      action: id ? "guardrail-policy.update" : "guardrail-policy.create",
      targetType: "GuardrailPolicy",
      targetId: saved.id,
      ...(before && {
        before: {
          name: before.name,
          workspaceId: before.workspaceId,
          enabled: before.enabled,
          rules: before.rules as Prisma.InputJsonValue,
        },
      }),
      after: { name: saved.name, workspaceId: saved.workspaceId, enabled: saved.enabled, rules: fields.rules },
    });
    return saved;
  });
  await everyGatewayChanged();
  return (await view([row]))[0]!;
}

export async function deletePolicy(viewer: Viewer, id: string): Promise<void> {
  await owner(viewer, "remove a guardrail policy");
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const before = await tx.guardrailPolicy.findUnique({ where: { id } });
    if (!before) throw notFound("Guardrail policy");
    await tx.guardrailPolicy.delete({ where: { id } });
    await recordAudit(tx, {
      workspaceId: before.workspaceId,
      actorId: viewer.user.id,
      action: "guardrail-policy.delete",
      targetType: "GuardrailPolicy",
      targetId: id,
      before: { name: before.name, workspaceId: before.workspaceId, rules: before.rules as Prisma.InputJsonValue },
    });
  });
  await everyGatewayChanged();
}

/** An organization model a guardrail policy judges topics with stays, under its name, until the policy picks another. */
export async function refuseIfJudge(name: string, what: "renamed" | "removed"): Promise<void> {
  const prisma = await db();
  const policies = await prisma.guardrailPolicy.findMany({
    where: { rules: { path: ["topics", "model"], equals: name } },
    select: { name: true },
  });
  if (policies.length)
    throw new AppError(
      "conflict",
      `The guardrail ${policies.length === 1 ? "policy" : "policies"} ${policies.map((p) => `“${p.name}”`).join(", ")} judge${policies.length === 1 ? "s" : ""} topics with “${name}”: pick another judge there before this model is ${what}.`,
    );
}

/** A policy's rules tried on a text: as a prompt would go to a provider, and as an answer would reach the caller. */
export async function tryPolicy(viewer: Viewer, rules: PolicyRules, text: string, name?: string): Promise<TryView> {
  await owner(viewer, "try a guardrail policy");
  const policy = { id: "try", name: name || "this policy", rules };
  const call = guardCall([policy], {
    prompt: [{ role: "user", content: [{ type: "text", text }] }],
  });
  const sent = call.options.prompt[0];
  const prompt = sent?.role === "user" && sent.content[0]?.type === "text" ? sent.content[0].text : text;
  const answer = new AnswerRedactor([policy]);
  const answered = answer.push(text) + answer.flush();
  const findings = [...call.findings, ...answer.findings()].map((f) => `${GUARDRAIL_KIND_LABELS[f.kind]}: ${f.detail}`);
  let refused = call.refused;
  // Blocked topics: the judge is really asked, on the text as redacted, at the viewer's charge.
  const model = rules.topics.model;
  if (!refused && rules.topics.blocked.length && model) {
    const topic = await blockedTopic(
      [policy],
      { prompt: [{ role: "user", content: [{ type: "text", text: prompt }] }] },
      judgeCaller(viewer),
      await organizationModels([model]),
      (alias, c) => governedModel(alias.name, c),
    );
    if (topic) {
      refused = topic.message;
      findings.push(`${GUARDRAIL_KIND_LABELS[topic.finding.kind]}: ${topic.finding.detail}`);
    }
  }
  return { prompt: refused ? text : prompt, answer: answered, refused, findings };
}

/** What the policies did lately, everywhere (newest first). */
export async function listViolations(viewer: Viewer, take = 100): Promise<ViolationView[]> {
  await owner(viewer, "see what guardrail policies did");
  await flushViolations();
  const prisma = await db();
  const rows = await prisma.guardrailViolation.findMany({ orderBy: { at: "desc" }, take });
  const names = new Map(
    (
      await prisma.workspace.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.workspaceId))] } },
        select: { id: true, name: true },
      })
    ).map((w) => [w.id, w.name]),
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    workspaceName: names.get(r.workspaceId) ?? "a deleted workspace",
    policyName: r.policyName,
    kind: r.kind,
    action: r.action,
    detail: r.detail,
    alias: r.alias,
    source: r.source,
    runId: r.runId,
  }));
}

/** A workspace's guardrail counts since `since`, for its dashboard. */
export async function violationCounts(workspaceId: string, since: Date): Promise<{ kind: string; count: number }[]> {
  await flushViolations();
  const rows = await (
    await db()
  ).guardrailViolation.groupBy({ by: ["kind"], where: { workspaceId, at: { gte: since } }, _count: { _all: true } });
  return rows.map((r) => ({ kind: r.kind, count: r._count._all })).sort((a, b) => b.count - a.count);
}
