import "server-only";
import type { LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { database } from "../db/client";
import { retryTransient } from "../db/transient";
import { logger } from "../log/logger";
import type { Role } from "../schemas/identity";
import { modelCallSpan } from "../tracing/tracing";
import type { KeyLimits } from "../schemas/api-key";
import { ORGANIZATION_CAP, type Cap } from "./budget";
import { workspaceGateway, type AliasConfig, type DeploymentConfig, type WorkspaceGateway } from "./config";
import { GatewayError } from "./errors";
import { recordUsage, type UsageEntry } from "./ledger";
import { takeLeased } from "./leases";
import type { Hold, Limit } from "./limits";

/**
 * Admission and its settlement, the two ends of every governed call: before the provider,
 * alias → access → capabilities → rate limits → budget reservation (the most the call can
 * cost, its output limit included); after it, the budget settled with the real cost, token
 * counts corrected, one ledger row and span. `lib/gateway/pipeline.ts` routes in between.
 */
export interface Caller {
  workspaceId: string;
  userId: string | null;
  role: Role | null;
  apiKeyId?: string | null;
  runId?: string | null;
  nodeId?: string | null;
  workflowId?: string | null;
  /**
   * A loop's or sub-workflow's run: the run it is part of (the one a person started) and its
   * workflow, whose cost cap covers the whole tree. Asked only in a workspace with caps.
   */
  rootRun?: () => Promise<{ runId: string; workflowId: string }>;
  /** The run tree's cost cap as an admin raised it (null: the workflow's), and raising it. */
  runCostCap?: RaisedCostCap;
  source: "workflow" | "api";
  /** An application key's own limits: the models it may call, its budget and its rate. */
  key?: KeyLimits;
  /**
   * A guardrail policy's judge call (lib/gateway/policy-topics.ts): the organization's model the
   * policy names, called for the caller, whoever may use it; charged like the caller's own calls.
   */
  judge?: AliasConfig;
}

/** A run tree's cost cap raised by an admin, kept on its root run (lib/runs/run-tree.ts). */
export interface RaisedCostCap {
  get(): Promise<number | null>;
  raise(toUsd: number): Promise<void>;
}

export interface CallReport {
  alias: string;
  deploymentId: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cacheHit: boolean;
}

export interface Admission {
  alias: AliasConfig;
  estimatedTokens: number;
  /** The most tokens the answer may have: reserved, sent to the provider, enforced on the stream. */
  outputLimit: number;
  /** The call's counts and budget, settled when it ends. */
  hold: Hold;
  started: number;
}

export interface Outcome {
  deployment?: DeploymentConfig;
  usage?: { inputTokens: number; outputTokens: number };
  status: "ok" | "error";
  error?: string;
  cacheHit?: boolean;
  ttftMs?: number;
}

const tokensOf = (text: string) => Math.ceil(text.length / 4);
const costOf = (alias: AliasConfig, inputTokens: number, outputTokens: number) =>
  (inputTokens * alias.inputPricePerMTok + outputTokens * alias.outputPricePerMTok) / 1_000_000;
const list = (items: string[]) =>
  items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

function mayUse(alias: AliasConfig, caller: Caller): boolean {
  return (
    (caller.role !== null && alias.allowedRoles.includes(caller.role)) ||
    (caller.userId !== null && alias.allowedUserIds.includes(caller.userId))
  );
}

/** The aliases a person may use, for pickers and `GET /v1/models`. */
export async function allowedAliases(caller: Pick<Caller, "workspaceId" | "userId" | "role">): Promise<AliasConfig[]> {
  const gw = await workspaceGateway(caller.workspaceId);
  return [...gw.aliases.values()].filter((a) => mayUse(a, { ...caller, source: "api" }));
}

function ledger(
  caller: Caller,
  aliasName: string,
  started: number,
  outcome: Omit<Outcome, "status"> & { status: "ok" | "error" | "refused" },
  costUsd: number,
) {
  const entry: UsageEntry = {
    workspaceId: caller.workspaceId,
    userId: caller.userId,
    apiKeyId: caller.apiKeyId ?? null,
    runId: caller.runId ?? null,
    nodeId: caller.nodeId ?? null,
    workflowId: caller.workflowId ?? null,
    alias: aliasName,
    deploymentId: outcome.deployment?.id ?? null,
    providerKind: outcome.deployment?.provider.kind ?? null,
    modelId: outcome.deployment?.modelId ?? null,
    inputTokens: outcome.usage?.inputTokens ?? 0,
    outputTokens: outcome.usage?.outputTokens ?? 0,
    costUsd,
    latencyMs: Math.round(performance.now() - started),
    ttftMs: outcome.ttftMs === undefined ? null : Math.round(outcome.ttftMs),
    status: outcome.status,
    error: outcome.error ?? null,
    cacheHit: outcome.cacheHit ?? false,
    source: caller.source,
    at: new Date(),
  };
  recordUsage(entry);
  modelCallSpan(entry);
  if (outcome.status !== "ok")
    logger().warn(
      {
        runId: entry.runId ?? undefined,
        nodeId: entry.nodeId ?? undefined,
        alias: aliasName,
        status: outcome.status,
        error: entry.error,
      },
      "model call did not succeed",
    );
}

/**
 * The model a call names, if the caller may use it as asked (access, an application key's
 * models, tools, structured output); otherwise the refusal, as a GatewayError.
 */
export function usableAlias(
  gw: WorkspaceGateway,
  aliasName: string,
  caller: Caller,
  options: LanguageModelV3CallOptions,
): AliasConfig {
  const alias = caller.judge ?? gw.aliases.get(aliasName);
  if (!alias) {
    throw new GatewayError(
      "model_unknown",
      `There is no model “${aliasName}” in this workspace. Models here: ${list([...gw.aliases.keys()].map((n) => `“${n}”`))}. An installation owner grants the organization's models to each workspace under Organization → Teams.`,
    );
  }
  if (!caller.judge && !mayUse(alias, caller)) {
    const rule = alias.allowedRoles.length
      ? `it is open to the role${alias.allowedRoles.length > 1 ? "s" : ""} ${list(alias.allowedRoles.map((r) => r.toLowerCase()))}`
      : "it is open to no role";
    const people = alias.allowedUserIds.length
      ? ` and to ${alias.allowedUserIds.length} named ${alias.allowedUserIds.length === 1 ? "person" : "people"}`
      : "";
    throw new GatewayError(
      "access_denied",
      `You may not use the model “${aliasName}”: ${rule}${people}${caller.role ? `, and you are ${caller.role.toLowerCase()}` : ""}. Ask an admin for access.`,
    );
  }
  if (!caller.judge && caller.key?.models.length && !caller.key.models.includes(aliasName))
    throw new GatewayError(
      "access_denied",
      `The application key “${caller.key.name}” may not use the model “${aliasName}”; it may use ${caller.key.models.map((m) => `“${m}”`).join(", ")}. An admin can change the key's models.`,
    );
  if (options.tools?.length && !alias.supportsTools)
    throw new GatewayError(
      "unsupported",
      `The model “${aliasName}” cannot call tools; pick a model that can, or remove the tools.`,
    );
  if (options.responseFormat?.type === "json" && options.responseFormat.schema && !alias.supportsStructured) {
    throw new GatewayError(
      "unsupported",
      `The model “${aliasName}” cannot return structured output; pick a model that can, or clear the output schema.`,
    );
  }
  return alias;
}

export async function admit(
  aliasName: string,
  caller: Caller,
  options: LanguageModelV3CallOptions,
): Promise<Admission> {
  const started = performance.now();
  try {
    const gw = await workspaceGateway(caller.workspaceId);
    const alias = usableAlias(gw, aliasName, caller, options);
    const inputTokens =
      tokensOf(JSON.stringify(options.prompt)) + (options.tools ? tokensOf(JSON.stringify(options.tools)) : 0);
    // What the caller asked for, else the model's limit set by admins: the budget reserves it,
    // the provider is sent it, and the stream is cut off there (a provider may ignore it).
    const outputTokens = Math.max(1, Math.min(options.maxOutputTokens ?? alias.maxOutputTokens, alias.contextWindow));
    const l = gw.limits;
    const limits: Limit[] = [];
    const person = `${caller.workspaceId}:${caller.userId ?? "anonymous"}`;
    if (l.userRpm)
      limits.push({
        label: "your requests per minute",
        prefix: "user-rpm",
        key: person,
        perMinute: l.userRpm,
        kind: "requests",
      });
    if (l.workspaceRpm)
      limits.push({
        label: "this workspace's requests per minute",
        prefix: "ws-rpm",
        key: caller.workspaceId,
        perMinute: l.workspaceRpm,
        kind: "requests",
      });
    if (l.userTpm)
      limits.push({
        label: "your tokens per minute",
        prefix: "user-tpm",
        key: person,
        perMinute: l.userTpm,
        kind: "tokens",
      });
    if (l.workspaceTpm)
      limits.push({
        label: "this workspace's tokens per minute",
        prefix: "ws-tpm",
        key: caller.workspaceId,
        perMinute: l.workspaceTpm,
        kind: "tokens",
      });
    // The organization's, over every team's calls together.
    if (gw.organizationLimits.rpm)
      limits.push({
        label: "the organization's requests per minute",
        prefix: "org-rpm",
        key: "organization",
        perMinute: gw.organizationLimits.rpm,
        kind: "requests",
      });
    if (gw.organizationLimits.tpm)
      limits.push({
        label: "the organization's tokens per minute",
        prefix: "org-tpm",
        key: "organization",
        perMinute: gw.organizationLimits.tpm,
        kind: "tokens",
      });
    if (caller.key?.rpm)
      limits.push({
        label: `the application key “${caller.key.name}”'s requests per minute`,
        prefix: "key-rpm",
        key: caller.key.id,
        perMinute: caller.key.rpm,
        kind: "requests",
      });
    const caps: Cap[] = [];
    if (caller.key && caller.key.budgetUsd !== null)
      caps.push({
        key: `key:${caller.key.id}`,
        label: `the application key “${caller.key.name}”'s budget`,
        limitUsd: caller.key.budgetUsd,
        period: caller.key.budgetPeriod,
      });
    if (l.workspaceBudgetUsd !== null)
      caps.push({
        key: `ws:${caller.workspaceId}`,
        label: "this workspace's budget",
        limitUsd: l.workspaceBudgetUsd,
        period: l.budgetPeriod,
      });
    if (l.userBudgetUsd !== null)
      caps.push({ key: `user:${person}`, label: "your budget", limitUsd: l.userBudgetUsd, period: l.budgetPeriod });
    // The organization's budget, over every workspace's calls together.
    if (gw.organizationBudget)
      caps.push({
        key: ORGANIZATION_CAP,
        label: "the organization's budget",
        limitUsd: gw.organizationBudget.limitUsd,
        period: gw.organizationBudget.period,
      });
    // A run's cost cap: what the calls of the run a person started (its loops and sub-workflows
    // included) may spend together, whatever else is left.
    if (caller.runId && caller.workflowId && gw.runCaps.size) {
      const root = caller.rootRun ? await caller.rootRun() : { runId: caller.runId, workflowId: caller.workflowId };
      const runCap = gw.runCaps.get(root.workflowId);
      if (runCap !== undefined) {
        const raised = (await caller.runCostCap?.get()) ?? null;
        caps.push({
          key: `run:${root.runId}`,
          label: "this run's cost cap",
          limitUsd: Math.max(runCap.limitUsd, raised ?? 0),
          period: "RUN",
          onReach: runCap.onReach,
        });
      }
    }
    const estimate = costOf(alias, inputTokens, outputTokens);
    const { sql } = await database();
    const hold = await retryTransient(() => takeLeased(sql, limits, inputTokens + outputTokens, caps, estimate));
    return { alias, estimatedTokens: inputTokens + outputTokens, outputLimit: outputTokens, hold, started };
  } catch (error) {
    if (error instanceof GatewayError)
      ledger(caller, aliasName, started, { status: "refused", error: error.message }, 0);
    throw error;
  }
}

export function finish(adm: Admission, caller: Caller, outcome: Outcome, onReport?: (r: CallReport) => void): void {
  const tokens = outcome.usage ?? { inputTokens: 0, outputTokens: 0 };
  const cost = outcome.cacheHit ? 0 : costOf(adm.alias, tokens.inputTokens, tokens.outputTokens);
  adm.hold.settle(outcome.cacheHit ? 0 : tokens.inputTokens + tokens.outputTokens, cost);
  ledger(caller, adm.alias.name, adm.started, outcome, cost);
  onReport?.({
    alias: adm.alias.name,
    deploymentId: outcome.deployment?.id ?? null,
    inputTokens: tokens.inputTokens,
    outputTokens: tokens.outputTokens,
    costUsd: cost,
    cacheHit: !!outcome.cacheHit,
  });
}
