/**
 * A request body the fast lane (./fast-lane.ts) has already read, handed to route() on the
 * request itself: a symbol in the global registry, since the lane and the route handlers may
 * be bundled as separate copies of this module.
 */
export const READ_BODY = Symbol.for("flowdeck.readBody");

export function readBodyOf(request: Request): string | undefined {
  return (request as unknown as Record<symbol, string | undefined>)[READ_BODY];
}

/**
 * A response's whole body as text, kept on the response by who made it (route()'s `json`, the
 * gateway's completions), so the fast lane writes it as it is instead of reading the body
 * stream back.
 */
export const WHOLE_BODY = Symbol.for("flowdeck.wholeBody");

export function withWholeBody<R extends Response>(response: R, text: string): R {
  Object.defineProperty(response, WHOLE_BODY, { value: text });
  return response;
}

export function wholeBodyOf(response: Response): string | undefined {
  return (response as unknown as Record<symbol, string | undefined>)[WHOLE_BODY];
}

/** Whether the fast lane serves this request (it writes a whole body as it is: see WHOLE_BODY). */
export const servedByLane = (request: Request): boolean => readBodyOf(request) !== undefined;

/**
 * Headers of a fast-lane answer: what route() and the lane read and write of a response's
 * headers (get, set, has, delete, forEach, getSetCookie), in a Map, without the brand checks
 * and validation of the Web's Headers (a few microseconds each, on the gateway's hot path).
 * Names are lowercased, as Headers does; values are taken as given (our own code sets them).
 */
export class LaneHeaders {
  private readonly map = new Map<string, string>();
  constructor(init?: Record<string, string>) {
    if (init) for (const name in init) this.map.set(name.toLowerCase(), init[name]!);
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), String(value));
  }
  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const had = this.map.get(key);
    this.map.set(key, had === undefined ? String(value) : `${had}, ${value}`);
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }
  forEach(each: (value: string, name: string) => void): void {
    this.map.forEach(each);
  }
  getSetCookie(): string[] {
    const cookie = this.map.get("set-cookie");
    return cookie === undefined ? [] : [cookie];
  }
}

/**
 * A whole JSON answer for the fast lane, in place of a Response: its status, its headers and its
 * text (WHOLE_BODY), no body stream. Only the lane reads it (`serve` in ./fast-lane.ts); route()
 * takes it as a handler's Response (`isAnswer`).
 */
class LaneAnswer {
  readonly body = null;
  readonly headers: LaneHeaders;
  constructor(
    readonly status: number,
    text: string,
    headers?: Record<string, string>,
  ) {
    this.headers = new LaneHeaders(headers);
    Object.defineProperty(this, WHOLE_BODY, { value: text });
  }
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
}

/** A handler's answer: a Response, or the fast lane's whole answer (a copy of this module may have made it). */
export const isAnswer = (value: unknown): value is Response =>
  value instanceof Response ||
  (typeof value === "object" && value !== null && wholeBodyOf(value as Response) !== undefined);

/**
 * A JSON response: for the fast lane, a LaneAnswer (no Response, no Headers, no body stream: a
 * tenth of a millisecond less); anything else gets a Response with the body in it.
 */
export function jsonResponse(
  text: string,
  lane: boolean,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  if (lane)
    return new LaneAnswer(init.status ?? 200, text, {
      ...init.headers,
      "content-type": "application/json",
    }) as unknown as Response;
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  return withWholeBody(new Response(text, { ...init, headers }), text);
}
