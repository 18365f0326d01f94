/**
 * The one error type a user can cause. Services throw it; lib/api turns it into an HTTP
 * status and the JSON body `{ error: { code, message, fields? } }`. Anything else that is
 * thrown is a bug: the client gets a generic 500 and the log gets the details.
 */
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export interface FieldProblem {
  /** Where the problem is, such as "body.email". */
  path: string;
  message: string;
}

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { fields?: FieldProblem[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

/** 404 for anything the caller may not know exists (another workspace's object included). */
export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
