/**
 * A request body the fast lane (./fast-lane.ts) has already read, handed to route() on the
 * request itself: a symbol in the global registry, since the lane and the route handlers may
 * be bundled as separate copies of this module.
 */
export const READ_BODY = Symbol.for("flowdeck.readBody");

export function readBodyOf(request: Request): string | undefined {
  return (request as unknown as Record<symbol, string | undefined>)[READ_BODY];
}
