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

const REDACTED = "[redacted]";

/**
 * A provider's failure with the provider's key taken out of every text it carries (message,
 * response body, parsed error, stack; its causes too). A careless provider may repeat what it
 * was sent, an Authorization header among it, in its error, which would otherwise reach the
 * caller (a builder, an application), the usage ledger and the logs. Changes the error in
 * place (so its kind, status and retryability stay) and returns it.
 */
export function withoutProviderKey<E>(error: E, key: string | null | undefined): E {
  if (!key || key.length < 8) return error; // nothing to find; a very short key would match by chance
  const scrub = (text: string) => (text.includes(key) ? text.split(key).join(REDACTED) : text);
  const seen = new Set<object>();
  const clean = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return scrub(value);
    if (typeof value !== "object" || value === null || depth > 4 || seen.has(value)) return value;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const field of [...Object.keys(record), "message", "stack", "cause"]) {
      const before = record[field];
      if (before === undefined) continue;
      const after = clean(before, depth + 1);
      if (after !== before)
        try {
          record[field] = after;
        } catch {
          // A read-only field: left, the message (always writable on an Error) carries the text a person reads.
        }
    }
    return value;
  };
  return clean(error, 0) as E;
}
