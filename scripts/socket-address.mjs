// Loaded into the studio's process before Next.js (`node --import`, see scripts/start.mjs): every
// request that reaches an HTTP server of this process gets a header holding the address of the
// TCP peer, written here on every request, so whatever a client sent under that name is
// overwritten. The header's name is random per process and handed to the app in
// FLOWDECK_PEER_HEADER, so without this file no client can pose as the socket.
// Next.js route handlers do not expose the socket; this is how lib/auth/client-address.ts
// learns it (and, through TRUSTED_PROXIES only, who is behind a proxy).
import { randomBytes } from "node:crypto";
import http from "node:http";

const header = `x-flowdeck-peer-${randomBytes(12).toString("hex")}`;
process.env.FLOWDECK_PEER_HEADER = header;

// The fast lane (lib/api/fast-lane.ts): once the app has opened it, a request it takes (an
// integration's start, follow or gateway call) goes straight to its route handler, not through
// Next.js's router; everything else goes on to Next.js.
const lane = (globalThis[Symbol.for("flowdeck.fastLane")] ??= { take: null });

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitWithPeer(event, ...args) {
  if (event === "request") {
    const request = args[0];
    request.headers[header] = request.socket?.remoteAddress ?? "";
    if (lane.take?.(request, args[1])) return true;
  }
  return emit.call(this, event, ...args);
};
