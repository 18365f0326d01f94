import "server-only";
import { processSingleton } from "../process/singleton";
import { APICallError } from "@ai-sdk/provider";
import { circuitBreaker, CircuitState, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from "cockatiel";
import { env } from "../config/env";
import type { DeploymentConfig } from "./config";

/**
 * Which deployment takes a call: a weighted draw among those of positive weight, then the
 * rest in order as fallbacks. A deployment that failed three times running is cooled down
 * (its circuit opens) for FLOWDECK_GATEWAY_COOLDOWN_SECONDS, then tried again with one call.
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

export function breakerFor(deploymentId: string): CircuitBreakerPolicy {
  let breaker = breakers().get(deploymentId);
  if (!breaker) {
    breaker = circuitBreaker(handleWhen(isRetryable), {
      halfOpenAfter: env().FLOWDECK_GATEWAY_COOLDOWN_SECONDS * 1000,
      breaker: new ConsecutiveBreaker(3),
    });
    breakers().set(deploymentId, breaker);
  }
  return breaker;
}

export const coolingDown = (deploymentId: string) => breakers().get(deploymentId)?.state === CircuitState.Open;

/** A short description of a failure, for the ledger and the error a person reads. */
export function describeFailure(error: unknown): string {
  if (APICallError.isInstance(error)) return `HTTP ${error.statusCode ?? "error"}: ${error.message}`.slice(0, 500);
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}
