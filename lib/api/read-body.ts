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
 * A JSON response for the fast lane: its text kept whole and no body stream built (building one
 * costs a tenth of a millisecond); anything else gets a Response with the body in it.
 */
export function jsonResponse(text: string, lane: boolean, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  return withWholeBody(new Response(lane ? null : text, { ...init, headers }), text);
}
