/**
 * The browser's way to call our API: JSON in, JSON out, and a thrown ApiError carrying the
 * server's `{ error: { code, message, fields } }` so forms can show it next to the field.
 */
export interface FieldProblem {
  path: string;
  message: string;
}

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }

  /** The message for one body field ("email"), if the server named it. */
  field(name: string): string | undefined {
    return this.fields.find((f) => f.path === `body.${name}`)?.message;
  }
}

export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "unknown",
      error?.message ?? `The server answered ${response.status}.`,
      error?.fields ?? [],
    );
  }
  return data as T;
}
