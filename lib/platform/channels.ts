import { database, RECONNECTED } from "../db/client";
import { logger } from "../log/logger";
import { processSingleton } from "../process/singleton";

/**
 * NOTIFY channels: "something changed, look now", heard by every process on the database.
 * This is the one list of them and the one fan-out: a process LISTENs once per channel on its
 * one LISTEN connection (lib/db), and hands each notification to every subscriber here.
 *
 * Notifications are hints, never the truth: a subscriber re-reads the database. When the LISTEN
 * connection drops and comes back, notifications may have been missed meanwhile, so every
 * `onReconnect` subscriber is told to re-read everything (caches empty themselves, live streams
 * read the events they missed).
 *
 * On the embedded database there is one process: publishing goes straight to this process's
 * subscribers, without a round trip through PGlite.
 */
export const CHANNELS = {
  /** A run's event was stored: `{ runId, event }` (lib/runs/live-events). */
  runEvents: "flowdeck_run_events",
  /** Stop run X wherever it executes: the run id (lib/runs/cancel-run). */
  runCancel: "flowdeck_run_cancel",
  /** A job was sent: idle workers fetch at once instead of at their next poll (lib/platform/queues). */
  jobs: "flowdeck_jobs",
  /** The reviews of workspace W changed: the workspace id (inbox counts and lists). */
  reviews: "flowdeck_reviews",
  /** An admin changed workspace W's gateway: the workspace id (lib/gateway/config). */
  gateway: "flowdeck_gateway_changed",
  /** An admin changed workspace W's tool catalog: the workspace id (lib/mcp/tools). */
  tools: "flowdeck_tools_changed",
  /** An admin changed workspace W's HTTP destinations: the workspace id (lib/egress/destinations). */
  destinations: "flowdeck_destinations_changed",
  /** A key was revoked or a membership changed (lib/auth/api-keys). */
  apiKeys: "flowdeck_api_keys_changed",
  /** A trigger was changed or deleted: its id (lib/triggers). */
  triggers: "flowdeck_triggers_changed",
  /** A model deployment failed repeatedly and cools down: `{ deploymentId, seconds }` (lib/gateway/routing). */
  cooldowns: "flowdeck_gateway_cooldowns",
} as const;
export type Channel = keyof typeof CHANNELS;

/** The longest payload a NOTIFY carries (PostgreSQL's limit is 8000 bytes). */
export const MAX_PAYLOAD_BYTES = 7_900;

type Handler = (payload: string) => void;
interface Hub {
  handlers: Map<Channel, Set<Handler>>;
  listening: Map<Channel | "reconnect", Promise<void>>;
  reconnect: Set<() => void>;
  /** Per channel, the last notification on its way out (one channel's notifications keep their order). */
  chains: Map<Channel, Promise<void>>;
}
const hub = () =>
  processSingleton<Hub>("channels", () => ({
    handlers: new Map(),
    listening: new Map(),
    reconnect: new Set(),
    chains: new Map(),
  }));

/**
 * One delivery function per channel, made once: the LISTEN connection keeps a set of them, so
 * a LISTEN retried after a failure never adds a second one (which would deliver twice).
 */
const deliverers = () => processSingleton("channel-deliverers", () => new Map<Channel, Handler>());
function delivererOf(channel: Channel): Handler {
  let fn = deliverers().get(channel);
  if (!fn) {
    fn = (payload) => deliver(channel, payload);
    deliverers().set(channel, fn);
  }
  return fn;
}
const announceReconnect = () => hub().reconnect.forEach((h) => h());

function deliver(channel: Channel, payload: string) {
  for (const handler of hub().handlers.get(channel) ?? []) {
    try {
      handler(payload);
    } catch (error) {
      logger().warn({ err: error, channel }, "a notification handler failed");
    }
  }
}

/**
 * Tells every process (this one included). A channel's notifications leave this process in the
 * order they were published; channels do not wait for each other. Rejects when it could not be
 * sent (an admin change that other processes must hear should fail, not pass silently).
 */
export function publish(channel: Channel, payload = ""): Promise<void> {
  const h = hub();
  const previous = h.chains.get(channel) ?? Promise.resolve();
  const sent = previous.then(async () => {
    const db = await database();
    if (db.kind === "pglite") return deliver(channel, payload);
    await db.notify(CHANNELS[channel], payload);
  });
  h.chains.set(
    channel,
    sent.catch(() => undefined),
  );
  return sent;
}

/**
 * `publish` outside the channel's queue, for a sender that keeps its own order (a run's token
 * deltas): one run's notifications never wait behind another's.
 */
export async function publishUnchained(channel: Channel, payload = ""): Promise<void> {
  const db = await database();
  if (db.kind === "pglite") return deliver(channel, payload);
  await db.notify(CHANNELS[channel], payload);
}

/**
 * `publish` for hints nobody waits on (a run's event, "reviews changed", "a job was sent"): a
 * failure is logged, not thrown. The database is the truth; pollers and reconnects cover a lost hint.
 */
export function publishSoon(channel: Channel, payload = ""): void {
  publish(channel, payload).catch((error) =>
    logger().warn({ err: error, channel }, "could not publish a notification"),
  );
}

async function listenOnce(key: Channel | "reconnect", start: () => Promise<unknown>): Promise<void> {
  const h = hub();
  let listening = h.listening.get(key);
  if (!listening) {
    listening = start().then(() => undefined);
    h.listening.set(key, listening);
    listening.catch(() => h.listening.get(key) === listening && h.listening.delete(key));
  }
  await listening;
}

/**
 * Hears `channel` from every process until the returned function is called. Rejects when the
 * database cannot be reached (call again later).
 */
export async function subscribe(channel: Channel, handler: Handler): Promise<() => void> {
  await listenOnce(channel, async () => {
    const db = await database();
    if (db.kind === "postgres") await db.listen(CHANNELS[channel], delivererOf(channel));
  });
  const h = hub();
  if (!h.handlers.has(channel)) h.handlers.set(channel, new Set());
  h.handlers.get(channel)!.add(handler);
  return () => void h.handlers.get(channel)?.delete(handler);
}

/** Called when this process's LISTEN connection came back after a drop: re-read what you keep. */
export async function onReconnect(handler: () => void): Promise<() => void> {
  await listenOnce("reconnect", async () => {
    const db = await database();
    if (db.kind === "postgres") await db.listen(RECONNECTED, announceReconnect);
  });
  hub().reconnect.add(handler);
  return () => void hub().reconnect.delete(handler);
}
