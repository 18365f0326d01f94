/**
 * Why the gateway refused or failed a call. Each message says what happened and what to do;
 * the OpenAI-compatible endpoint maps codes to HTTP status (429 with Retry-After for limits).
 */
export type GatewayErrorCode =
  | "model_unknown"
  | "access_denied"
  | "unsupported"
  | "rate_limited"
  | "budget_exceeded"
  | "upstream"
  /** A guardrail policy refused the call (its prompt names a blocked term). */
  | "policy_refused";

/** A run's cost cap that refused a call: what it is, what is spent, what the call could cost, and what the workflow does then. */
export interface CostCapReached {
  limitUsd: number;
  spentUsd: number;
  amountUsd: number;
  onReach: "FAIL" | "REVIEW";
}

export class GatewayError extends Error {
  override name = "GatewayError";
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
    /** Set when a run's cost cap refused the call. */
    readonly costCap?: CostCapReached,
  ) {
    super(message);
  }

  get status(): number {
    return {
      model_unknown: 404,
      access_denied: 403,
      unsupported: 400,
      rate_limited: 429,
      budget_exceeded: 402,
      upstream: 502,
      policy_refused: 422,
    }[this.code];
  }
}

/**
 * A deployment its team's HTTP destinations do not let the gateway reach (its name resolves to a
 * private address, or to none; or it is a private address). No provider failure: routing tries
 * the next deployment and does not cool this one down (it works as soon as an admin allows it).
 */
export class AddressRefused extends GatewayError {
  readonly addressRefused = true;
  constructor(message: string) {
    super("upstream", message);
  }
}

/** Whether `error` is an AddressRefused (by its mark: a module loaded twice has two classes). */
export const isAddressRefused = (error: unknown): error is AddressRefused =>
  (error as { addressRefused?: unknown } | null)?.addressRefused === true;
