import "server-only";
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3Usage,
} from "@ai-sdk/provider";
import { isBrokenCircuitError } from "cockatiel";
import { admit, finish, usableAlias, type Admission, type CallReport, type Caller, type Outcome } from "./admission";
import { workspaceGateway, type AliasConfig, type WorkspaceGateway } from "./config";
import { answerPolicies, redactAnswers } from "./policy-answers";
import { guardCall, type PolicyConfig } from "./policy-guard";
import { blockedTopic, topicPolicies } from "./policy-topics";
import { recordFindings } from "./violations";
import { cachedAnswer, cacheKey, storeAnswer } from "./cache";
import { collectStream } from "./collect-stream";
import type { DeploymentConfig } from "./config";
import { GatewayError, isAddressRefused, withoutProviderKey } from "./errors";
import { takeFromLimits, type Limit } from "./limits";
import { OutputMeter } from "./output-meter";
import { providerModel } from "./providers";
import {
  breakerFor,
  cooledDownElsewhere,
  describeFailure,
  FirstTokenTimeout,
  isRetryable,
  routeOrder,
} from "./routing";

/**
 * The gateway pipeline, as an AI SDK language model: every call of every workflow step and
 * of every external client goes through `governedModel(alias, caller)`:
 *
 *   alias → access (role / person) → capabilities → rate limits (requests and tokens per
 *   minute; person, workspace) → budget (reserve the most the call can cost) → cache (opt-in,
 *   temperature 0) → route (weighted draw, then fallbacks; deployments cooling down skipped;
 *   deployment limits) → provider → settle budget, correct token counts, ledger row.
 *
 * A deployment that answers 429 or 5xx, times out, or cannot be reached before its first
 * streamed token is left for the next one. After the first token an error is passed on as an
 * error: the caller never gets a silently truncated answer.
 */
export type { CallReport, Caller };
export { allowedAliases } from "./admission";

const usageTokens = (u: LanguageModelV3Usage | undefined) => ({
  inputTokens: u?.inputTokens.total ?? 0,
  outputTokens: u?.outputTokens.total ?? 0,
});
const isContent = (p: LanguageModelV3StreamPart) =>
  [
    "text-delta",
    "text-start",
    "reasoning-start",
    "reasoning-delta",
    "tool-input-start",
    "tool-call",
    "finish",
  ].includes(p.type);
export function linkedAbort(parent: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", () => controller.abort(parent.reason), { once: true });
  return controller;
}

export function timeoutRace<T>(seconds: number, controller: AbortController, work: PromiseLike<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new FirstTokenTimeout(seconds);
      controller.abort(error);
      reject(error);
    }, seconds * 1000);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}

/** Tries each deployment in route order until one gets going; `attempt` does the provider call. */
export async function route<T>(
  adm: Admission,
  options: LanguageModelV3CallOptions,
  attempt: (d: DeploymentConfig) => Promise<T>,
): Promise<{ value: T; deployment: DeploymentConfig } | { errors: string[] }> {
  const errors: string[] = [];
  for (const d of routeOrder(adm.alias.deployments)) {
    const name = `${d.provider.name} ${d.modelId}`;
    if (cooledDownElsewhere(d.id)) {
      errors.push(`${name}: cooling down after repeated failures`);
      continue;
    }
    const limits: Limit[] = [];
    if (d.rpmLimit)
      limits.push({
        label: `${name} requests per minute`,
        prefix: "dep-rpm",
        key: d.id,
        perMinute: d.rpmLimit,
        kind: "requests",
      });
    if (d.tpmLimit)
      limits.push({
        label: `${name} tokens per minute`,
        prefix: "dep-tpm",
        key: d.id,
        perMinute: d.tpmLimit,
        kind: "tokens",
      });
    if (limits.length) {
      try {
        await takeFromLimits(limits, adm.estimatedTokens);
      } catch (error) {
        errors.push(`${name}: ${(error as Error).message}`);
        continue;
      }
    }
    try {
      return { value: await breakerFor(d.id).execute(() => attempt(d)), deployment: d };
    } catch (thrown) {
      // Whatever the provider said goes on to the caller, the ledger and the logs: never its key.
      const error = withoutProviderKey(thrown, d.provider.apiKey);
      if (options.abortSignal?.aborted) throw options.abortSignal.reason ?? error;
      if (isBrokenCircuitError(error)) {
        errors.push(`${name}: cooling down after repeated failures`);
        continue;
      }
      // A refused address is no provider failure (and is said alike whatever the refused name
      // resolves to): the next deployment is tried, and this one is not cooled down.
      if (isAddressRefused(error)) {
        errors.push(`${name}: ${error.message.replace(/\.$/, "")}`);
        continue;
      }
      if (!isRetryable(error)) throw error;
      errors.push(`${name}: ${describeFailure(error)}`);
    }
  }
  return { errors };
}

export const allFailed = (alias: string, errors: string[]) =>
  new GatewayError(
    "upstream",
    errors.length
      ? `The model “${alias}” is not available: ${errors.join("; ")}.`
      : `The model “${alias}” has no deployment; an admin can add one under Models.`,
  );

/** Whether admission will take the call as far as its limits (otherwise it refuses it, recorded). */
function usable(gw: WorkspaceGateway, alias: string, caller: Caller, options: LanguageModelV3CallOptions): boolean {
  try {
    usableAlias(gw, alias, caller, options);
    return true;
  } catch {
    return false;
  }
}

/** The call as the policies let it go out, and what they did; a refusal is recorded and thrown. */
function guarded(policies: PolicyConfig[], options: LanguageModelV3CallOptions, caller: Caller, alias: string) {
  const call = guardCall(policies, options);
  if (call.refused) {
    recordFindings(caller, alias, call.findings);
    throw new GatewayError("policy_refused", call.refused);
  }
  return call;
}

export function governedModel(aliasName: string, caller: Caller, onReport?: (r: CallReport) => void): LanguageModelV3 {
  return {
    specificationVersion: "v3",
    provider: "flowdeck-gateway",
    modelId: aliasName,
    supportedUrls: {},

    // A non-streamed call is answered from the provider's stream, collected: only a stream lets
    // the gateway cut off a provider that ignores the output limit, so budgets hold either way.
    async doGenerate(options): Promise<LanguageModelV3GenerateResult> {
      return collectStream(await this.doStream(options));
    },

    async doStream(asked) {
      // Guardrail policies first: a refused call reserves nothing, and no provider (nor the
      // cache) ever sees what a policy redacts.
      const gw = await workspaceGateway(caller.workspaceId);
      const { policies, judges } = gw;
      const call = policies.length ? guarded(policies, asked, caller, aliasName) : null;
      const options = call?.options ?? asked;
      // Blocked topics, as the policies' judges say (a judge's own call is not judged).
      // Only once the caller may use the model as asked: admission refuses the rest without a judge.
      if (!caller.judge && topicPolicies(policies).length && usable(gw, aliasName, caller, options)) {
        const judgeModel = (alias: AliasConfig, c: Caller) => governedModel(alias.name, c, onReport);
        const topic = await blockedTopic(policies, options, caller, judges, judgeModel);
        if (topic) {
          recordFindings(caller, aliasName, [...(call?.findings ?? []), topic.finding]);
          throw new GatewayError("policy_refused", topic.message);
        }
      }
      const answering = answerPolicies(policies);
      const guard = (stream: ReadableStream<LanguageModelV3StreamPart>) =>
        answering.length
          ? redactAnswers(stream, answering, (found) => found.length && recordFindings(caller, aliasName, found))
          : stream;
      const adm = await admit(aliasName, caller, options);
      // What the policies did to a call that goes out (one refused by admission never went).
      if (call?.findings.length) recordFindings(caller, aliasName, call.findings);
      // Answers a policy redacts are not cached (the cache would keep them whole).
      const cache =
        adm.alias.cacheTtlSeconds > 0 && options.temperature === 0 && !answering.length
          ? cacheKey(caller.workspaceId, `${aliasName}|${adm.alias.id}`, options)
          : null;
      let settled = false;
      const done = (outcome: Outcome) => {
        if (settled) return;
        settled = true;
        finish(adm, caller, outcome, onReport);
      };
      try {
        const hit = cache ? await cachedAnswer(cache) : null;
        if (hit) {
          done({ status: "ok", cacheHit: true, usage: hit, ttftMs: performance.now() - adm.started });
          const usage = {
            inputTokens: { total: hit.inputTokens, noCache: hit.inputTokens, cacheRead: 0, cacheWrite: 0 },
            outputTokens: { total: hit.outputTokens, text: hit.outputTokens, reasoning: 0 },
          };
          const parts: LanguageModelV3StreamPart[] = [
            { type: "stream-start", warnings: [] },
            { type: "text-start", id: "cached" },
            { type: "text-delta", id: "cached", delta: hit.text },
            { type: "text-end", id: "cached" },
            { type: "finish", usage, finishReason: { unified: "stop", raw: "stop" } },
          ];
          return {
            stream: new ReadableStream<LanguageModelV3StreamPart>({
              start: (c) => (parts.forEach((p) => c.enqueue(p)), c.close()),
            }),
          };
        }
        // Get each deployment as far as its first token; only then is it the one.
        const routed = await route(adm, options, async (d) => {
          const controller = linkedAbort(options.abortSignal);
          const opened = (async () => {
            const { stream, ...rest } = await providerModel(d).doStream({
              ...options,
              maxOutputTokens: adm.outputLimit,
              abortSignal: controller.signal,
            });
            const reader = stream.getReader();
            const head: LanguageModelV3StreamPart[] = [];
            for (;;) {
              const { done: ended, value } = await reader.read();
              if (ended) break;
              if (value.type === "error") throw value.error;
              head.push(value);
              if (isContent(value)) break;
            }
            return { reader, head, rest, controller };
          })();
          return timeoutRace(d.timeoutSeconds, controller, opened);
        });
        if ("errors" in routed) throw allFailed(aliasName, routed.errors);
        const { deployment, value } = routed;
        const { reader, head, rest } = value;
        const ttftMs = performance.now() - adm.started;
        let usage: { inputTokens: number; outputTokens: number } | undefined;
        let text = "";
        let onlyText = true;
        let failure: string | undefined;
        // Output counted as it streams, to cut off a provider that ignores the limit.
        const meter = new OutputMeter(adm.outputLimit);
        // The provider went past the limit (not merely reached it: an honest one then sends its usage).
        let overflow = false;
        const openText = new Set<string>();
        // What passes on: the part, or a text cut at the output limit (null when nothing of it fits).
        const watch = (part: LanguageModelV3StreamPart): LanguageModelV3StreamPart | null => {
          let p = part;
          if (p.type === "finish") usage = usageTokens(p.usage);
          else if (p.type === "text-delta" || p.type === "reasoning-delta" || p.type === "tool-input-delta") {
            const kept = meter.take(p.delta);
            if (kept !== p.delta) overflow = true;
            if (kept === null) return null;
            if (kept !== p.delta) p = { ...p, delta: kept };
            if (p.type === "text-delta") text += p.delta;
          }
          if (p.type === "text-start") openText.add(p.id);
          else if (p.type === "text-end") openText.delete(p.id);
          else if (p.type === "tool-call" || p.type === "tool-input-start") onlyText = false;
          else if (p.type === "error")
            // Scrubbed in place: the part goes on to the caller too.
            failure = `broke off after the first token: ${describeFailure(withoutProviderKey(p.error, deployment.provider.apiKey))}`;
          return p;
        };
        const opening = head.map(watch).filter((p) => p !== null);
        const end = () => {
          // A provider that reports no usage is charged what the gateway counted.
          usage ??= { inputTokens: adm.estimatedTokens - adm.outputLimit, outputTokens: meter.tokensOfAll() };
          done({ status: failure ? "error" : "ok", error: failure, deployment, usage, ttftMs });
          if (!failure && cache && onlyText && usage)
            void storeAnswer(cache, caller.workspaceId, aliasName, { text, ...usage }, adm.alias.cacheTtlSeconds).catch(
              () => undefined,
            );
        };
        const stream = new ReadableStream<LanguageModelV3StreamPart>({
          start(c) {
            opening.forEach((p) => c.enqueue(p));
          },
          async pull(c) {
            try {
              const { done: ended, value } = await reader.read();
              if (ended) {
                end();
                return c.close();
              }
              const passed = watch(value);
              if (passed) c.enqueue(passed);
              if (overflow && !usage) {
                // The provider went past the limit it was sent: stop it here, and record what came.
                await reader.cancel("output limit reached").catch(() => undefined);
                for (const id of openText) c.enqueue({ type: "text-end", id });
                usage = { inputTokens: adm.estimatedTokens - adm.outputLimit, outputTokens: meter.tokens };
                c.enqueue({
                  type: "finish",
                  finishReason: { unified: "length", raw: "cut off by the gateway at the output limit" },
                  usage: {
                    inputTokens: { total: usage.inputTokens, noCache: usage.inputTokens, cacheRead: 0, cacheWrite: 0 },
                    outputTokens: { total: meter.tokens, text: meter.tokens, reasoning: 0 },
                  },
                });
                end();
                return c.close();
              }
            } catch (error) {
              failure = `broke off after the first token: ${describeFailure(withoutProviderKey(error, deployment.provider.apiKey))}`;
              c.enqueue({ type: "error", error: new GatewayError("upstream", `The model “${aliasName}” ${failure}`) });
              end();
              c.close();
            }
          },
          async cancel(reason) {
            failure ??= "cancelled by the caller";
            end();
            await reader.cancel(reason).catch(() => undefined);
          },
        });
        return { ...rest, stream: guard(stream) };
      } catch (error) {
        done({ status: "error", error: describeFailure(error) });
        throw error;
      }
    },
  };
}
