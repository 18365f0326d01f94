import "server-only";
import { derivedKey } from "../config/secrets";
import { open } from "../crypto/secret-box";
import { database } from "../db/client";
import { notifiedCache } from "../platform/notified-cache";
import type { Role } from "../schemas/identity";
import { policyRulesSchema } from "../schemas/guardrail-policy";
import type { PolicyConfig } from "./policy-guard";
import { DEMO_ALIAS } from "./demo-model";

/**
 * A workspace's gateway, as the hot path reads it: aliases with their deployments and
 * providers (keys opened), and the limits. Read once and kept in memory; an admin change
 * drops it here and, by NOTIFY, in every other process.
 */
export type ProviderKindName = "OPENAI" | "ANTHROPIC" | "OPENAI_COMPATIBLE" | "DEMO";

export interface DeploymentConfig {
  id: string;
  modelId: string;
  weight: number;
  position: number;
  rpmLimit: number | null;
  tpmLimit: number | null;
  timeoutSeconds: number;
  provider: {
    id: string;
    name: string;
    kind: ProviderKindName;
    baseUrl: string | null;
    apiKey: string | null;
    version: string;
    /**
     * The team whose own provider this is (its calls reach only what the team's HTTP destinations
     * allow: lib/egress/guard.ts); null for the organization's, which go straight.
     */
    workspaceId: string | null;
  };
}

export interface AliasConfig {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  contextWindow: number;
  /** The most tokens a call answers with when the caller names no limit. */
  maxOutputTokens: number;
  supportsTools: boolean;
  supportsStructured: boolean;
  allowedRoles: Role[];
  allowedUserIds: string[];
  cacheTtlSeconds: number;
  deployments: DeploymentConfig[];
}

export interface LimitSettings {
  userRpm: number | null;
  userTpm: number | null;
  workspaceRpm: number | null;
  workspaceTpm: number | null;
  workspaceBudgetUsd: number | null;
  userBudgetUsd: number | null;
  budgetPeriod: "DAY" | "MONTH";
}

export interface WorkspaceGateway {
  aliases: Map<string, AliasConfig>;
  limits: LimitSettings;
  /** Workflow → the most one of its runs may spend (USD), and what happens at it, for workflows with a cap. */
  runCaps: Map<string, { limitUsd: number; onReach: "FAIL" | "REVIEW" }>;
  /** The guardrail policies on every call: the organization's, then the workspace's (enabled ones). */
  policies: PolicyConfig[];
  /** The organization's budget over every workspace's calls (null: none). */
  organizationBudget: { limitUsd: number; period: "DAY" | "MONTH" } | null;
  /** The organization's requests and tokens per minute, every team together (null: none). */
  organizationLimits: { rpm: number | null; tpm: number | null };
  /** The organization's models its policies name to judge a prompt's topic, by their organization name. */
  judges: Map<string, AliasConfig>;
}

/** A workspace with no GatewaySettings row: no limits, monthly budgets. */
export const NO_LIMITS: LimitSettings = {
  userRpm: null,
  userTpm: null,
  workspaceRpm: null,
  workspaceTpm: null,
  workspaceBudgetUsd: null,
  userBudgetUsd: null,
  budgetPeriod: "MONTH",
};

/** The simulated model every workspace has unless an admin defines an alias named "demo". */
export const builtInDemo: AliasConfig = {
  id: "built-in-demo",
  name: DEMO_ALIAS,
  description: "Built-in simulated model: deterministic answers, no key, no cost",
  builtIn: true,
  inputPricePerMTok: 0,
  outputPricePerMTok: 0,
  contextWindow: 32_000,
  maxOutputTokens: 1000,
  supportsTools: true,
  supportsStructured: true,
  allowedRoles: ["ADMIN", "BUILDER", "REVIEWER"],
  allowedUserIds: [],
  cacheTtlSeconds: 0,
  deployments: [
    {
      id: "built-in-demo",
      modelId: "simulated",
      weight: 1,
      position: 0,
      rpmLimit: null,
      tpmLimit: null,
      timeoutSeconds: 60,
      provider: {
        id: "demo",
        name: "Built-in demo",
        kind: "DEMO",
        baseUrl: null,
        apiKey: null,
        version: "1",
        workspaceId: null,
      },
    },
  ],
};

const withDeployments = {
  deployments: { include: { provider: true }, orderBy: { position: "asc" as const } },
};

type AliasRow = Awaited<ReturnType<typeof aliasRows>>[number];
const aliasRows = async (where: { workspaceId: string | null; name?: { in: string[] } }) =>
  (await database()).prisma.modelAlias.findMany({ where, include: withDeployments });

/** An alias as the hot path reads it, under the name it is called by, open to these people. */
function aliasConfig(a: AliasRow, name: string, who: { allowedRoles: Role[]; allowedUserIds: string[] }): AliasConfig {
  const key = derivedKey("provider-keys");
  return {
    id: a.id,
    name,
    description: a.description,
    builtIn: false,
    inputPricePerMTok: a.inputPricePerMTok,
    outputPricePerMTok: a.outputPricePerMTok,
    contextWindow: a.contextWindow,
    maxOutputTokens: a.maxOutputTokens,
    supportsTools: a.supportsTools,
    supportsStructured: a.supportsStructured,
    allowedRoles: who.allowedRoles,
    allowedUserIds: who.allowedUserIds,
    cacheTtlSeconds: a.cacheTtlSeconds,
    deployments: a.deployments.map((d) => ({
      id: d.id,
      modelId: d.modelId,
      weight: d.weight,
      position: d.position,
      rpmLimit: d.rpmLimit,
      tpmLimit: d.tpmLimit,
      timeoutSeconds: d.timeoutSeconds,
      provider: {
        id: d.provider.id,
        name: d.provider.name,
        kind: d.provider.kind,
        baseUrl: d.provider.baseUrl,
        apiKey: d.provider.apiKeySealed ? open(d.provider.apiKeySealed, key) : null,
        version: `${d.provider.baseUrl}|${d.provider.apiKeySealed}`,
        workspaceId: d.provider.workspaceId,
      },
    })),
  };
}

/** The organization's models of these names, as judges (a policy's topics; trying a policy). */
export async function organizationModels(names: string[]): Promise<Map<string, AliasConfig>> {
  if (!names.length) return new Map();
  const rows = await aliasRows({ workspaceId: null, name: { in: names } });
  return new Map(rows.map((a) => [a.name, aliasConfig(a, a.name, { allowedRoles: [], allowedUserIds: [] })]));
}

async function load(workspaceId: string): Promise<WorkspaceGateway> {
  const { prisma } = await database();
  const [own, grants, settings, capped, policies, organization] = await Promise.all([
    aliasRows({ workspaceId }),
    prisma.modelGrant.findMany({ where: { workspaceId }, include: { alias: { include: withDeployments } } }),
    prisma.gatewaySettings.findUnique({ where: { workspaceId } }),
    prisma.workflow.findMany({
      where: { workspaceId, maxRunCostUsd: { not: null } },
      select: { id: true, maxRunCostUsd: true, costCapAction: true },
    }),
    prisma.guardrailPolicy.findMany({
      where: { enabled: true, OR: [{ workspaceId: null }, { workspaceId }] },
      orderBy: [{ workspaceId: { sort: "asc", nulls: "first" } }, { createdAt: "asc" }],
      select: { id: true, name: true, rules: true },
    }),
    prisma.organizationSettings.findUnique({ where: { id: "organization" } }),
  ]);
  const map = new Map<string, AliasConfig>([[DEMO_ALIAS, builtInDemo]]);
  const add = (a: AliasRow, name: string, who: { allowedRoles: Role[]; allowedUserIds: string[] }) =>
    map.set(name, aliasConfig(a, name, who));
  // A team's own models count only while the organization lets it bring its own keys; the
  // organization's grants come after, so a granted name wins.
  if (settings?.ownProviders) for (const a of own) add(a, a.name, a);
  for (const g of grants) add(g.alias, g.name, g);
  // A policy whose rules cannot be read refuses the calls it covers (a guardrail fails closed).
  const readable: PolicyConfig[] = policies.map((p) => {
    const rules = policyRulesSchema.safeParse(p.rules);
    return rules.success
      ? { id: p.id, name: p.name, rules: rules.data }
      : {
          id: p.id,
          name: p.name,
          rules: policyRulesSchema.parse({}),
          broken: rules.error.issues[0]?.message ?? "invalid",
        };
  });
  const judges = await organizationModels([
    ...new Set(
      readable.flatMap((p) => (p.rules.topics.blocked.length && p.rules.topics.model ? [p.rules.topics.model] : [])),
    ),
  ]);
  return {
    aliases: map,
    limits: settings ? { ...settings } : NO_LIMITS,
    runCaps: new Map(
      capped.map((w) => [
        w.id,
        { limitUsd: w.maxRunCostUsd!, onReach: w.costCapAction === "REVIEW" ? ("REVIEW" as const) : ("FAIL" as const) },
      ]),
    ),
    policies: readable,
    organizationBudget:
      organization?.budgetUsd != null ? { limitUsd: organization.budgetUsd, period: organization.budgetPeriod } : null,
    organizationLimits: { rpm: organization?.requestsPerMinute ?? null, tpm: organization?.tokensPerMinute ?? null },
    judges,
  };
}

const gateways = notifiedCache({ name: "gateway", channel: "gateway", ttlMs: 60_000, load });

export function workspaceGateway(workspaceId: string): Promise<WorkspaceGateway> {
  return gateways.get(workspaceId);
}

/** After an organization-wide change (a guardrail policy): every process reads every workspace's gateway afresh. */
export async function everyGatewayChanged(): Promise<void> {
  await gateways.invalidate();
}

/** After an admin change: every process reads the workspace's gateway afresh. */
export async function gatewayChanged(workspaceId: string): Promise<void> {
  await gateways.invalidate(workspaceId);
}
