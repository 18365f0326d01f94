import "server-only";
import { processSingleton } from "../process/singleton";
import { randomUUID } from "node:crypto";
import { APICallError } from "@ai-sdk/provider";
import { circuitBreaker, CircuitState, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from "cockatiel";
import { env } from "../config/env";
import { logger } from "../log/logger";
import { publishSoon, subscribe } from "../platform/channels";
import type { DeploymentConfig } from "./config";

/**
 * Which deployment takes a call: a weighted draw among those of positive weight, then the
 * rest in order as fallbacks. A deployment that failed three times running is cooled down
 * (its circuit opens) for FLOWDECK_GATEWAY_COOLDOWN_SECONDS, in every process, then tried
 * again with one call.
 */
export function routeOrder<T extends Pick<DeploymentConfig, "weight" | "position">>(
  deployments: T[],
  random = Math.random,
): T[] {
  const weighted = deployments.filter((d) => d.weight > 0);
  const total = weighted.reduce((sum, d) => sum + d.weight, 0);
  let first: T | undefined;
  if (total > 0) {
    let r = random() * total;
    first = weighted.find((d) => (r -= d.weight) < 0) ?? weighted.at(-1);
  }
  const rest = deployments
    .filter((d) => d !== first)
    .sort((a, b) => (b.weight > 0 ? 1 : 0) - (a.weight > 0 ? 1 : 0) || a.position - b.position);
  return first ? [first, ...rest] : rest;
}

/** A failure worth trying another deployment for: 429, 5xx, a timeout, no connection. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof FirstTokenTimeout) return true;
  if (APICallError.isInstance(error))
    return (
      error.statusCode === undefined || error.statusCode === 408 || error.statusCode === 429 || error.statusCode >= 500
    );
  const text = `${(error as Error)?.message ?? ""} ${String((error as { cause?: { code?: string } })?.cause?.code ?? "")}`;
  return /fetch failed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|socket hang up|terminated/i.test(text);
}

export class FirstTokenTimeout extends Error {
  override name = "FirstTokenTimeout";
  constructor(seconds: number) {
    super(`no answer within ${seconds} s`);
  }
}

const breakers = () => processSingleton("circuit-breakers", () => new Map<string, CircuitBreakerPolicy>());
const thisProcess = () => processSingleton("process-token", () => randomUUID());
/** Deployments another process cooled down, until when (this process's clock). */
const heardCooldowns = () => processSingleton("heard-cooldowns", () => new Map<string, number>());

/** Hears the cooldowns of every process (once per process); until then each process decides alone. */
function hearCooldowns(): void {
  processSingleton("hearing-cooldowns", () =>
    subscribe("cooldowns", (payload) => {
      const { deploymentId, seconds, from } = JSON.parse(payload) as {
        deploymentId: string;
        seconds: number;
        from: string;
      };
      if (from !== thisProcess()) heardCooldowns().set(deploymentId, Date.now() + seconds * 1000);
    }).catch((error) => logger().warn({ err: error }, "cannot hear other processes' cooldowns")),
  );
}

/**
 * The deployment's circuit breaker in this process. When it opens (three failures running), every
 * other process is told on the `cooldowns` channel, so no process keeps trying a deployment
 * another has found failing.
 */
export function breakerFor(deploymentId: string): CircuitBreakerPolicy {
  hearCooldowns();
  let breaker = breakers().get(deploymentId);
  if (!breaker) {
    const seconds = env().FLOWDECK_GATEWAY_COOLDOWN_SECONDS;
    breaker = circuitBreaker(handleWhen(isRetryable), {
      halfOpenAfter: seconds * 1000,
      breaker: new ConsecutiveBreaker(3),
    });
    breaker.onBreak(() => publishSoon("cooldowns", JSON.stringify({ deploymentId, seconds, from: thisProcess() })));
    breakers().set(deploymentId, breaker);
  }
  return breaker;
}

/** Whether another process told of a cooldown of this deployment that still runs. */
export const cooledDownElsewhere = (deploymentId: string) => (heardCooldowns().get(deploymentId) ?? 0) > Date.now();

/** Whether the deployment cools down, here or (as told) in another process. */
export const coolingDown = (deploymentId: string) =>
  breakers().get(deploymentId)?.state === CircuitState.Open || (heardCooldowns().get(deploymentId) ?? 0) > Date.now();

/** A short description of a failure, for the ledger and the error a person reads. */
export function describeFailure(error: unknown): string {
  if (APICallError.isInstance(error)) return `HTTP ${error.statusCode ?? "error"}: ${error.message}`.slice(0, 500);
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
