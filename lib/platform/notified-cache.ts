import { retryTransient } from "../db/transient";
import { logger } from "../log/logger";
import { onReconnect, publish, subscribe, type Channel } from "./channels";
import { processSingleton } from "../process/singleton";

/**
 * A read-through cache for what the hot path reads on every call and admins rarely change
 * (a workspace's gateway, its tool catalog, what an API key stands for). Entries live `ttlMs`
 * at most; `invalidate` drops one here and, through `channel`, in every other process; a
 * dropped LISTEN connection that comes back empties the cache, since changes may have been
 * missed meanwhile. While this process cannot listen, nothing is kept: every read goes to the
 * database rather than risk a stale answer.
 */
export interface NotifiedCache<V> {
  get(key: string): Promise<V>;
  /** Drops `key` (or everything, for "") here and in every process. */
  invalidate(key?: string): Promise<void>;
}

interface State<V> {
  entries: Map<string, { at: number; value: Promise<V> }>;
  listening: Promise<boolean> | null;
}

export function notifiedCache<V>(options: {
  name: string;
  channel: Channel;
  ttlMs: number;
  load: (key: string) => Promise<V>;
}): NotifiedCache<V> {
  const state = () =>
    processSingleton<State<V>>(`cache:${options.name}`, () => ({ entries: new Map(), listening: null }));
  const drop = (key: string) => (key ? state().entries.delete(key) : state().entries.clear());

  const listening = (): Promise<boolean> => {
    const s = state();
    s.listening ??= Promise.all([subscribe(options.channel, drop), onReconnect(() => s.entries.clear())]).then(
      () => true,
      (error) => {
        s.listening = null;
        logger().warn(
          { err: error, cache: options.name },
          "cannot hear changes; reading through until the database is back",
        );
        return false;
      },
    );
    return s.listening;
  };

  return {
    async get(key) {
      const s = state();
      const hit = s.entries.get(key);
      if (hit && Date.now() - hit.at < options.ttlMs) return hit.value;
      if (!(await listening())) return retryTransient(() => options.load(key));
      // Read through a dropped connection (a reconnect empties every cache, and all re-read at once).
      const value = retryTransient(() => options.load(key));
      s.entries.set(key, { at: Date.now(), value });
      value.catch(() => s.entries.get(key)?.value === value && s.entries.delete(key));
      return value;
    },
    async invalidate(key = "") {
      drop(key);
      await publish(options.channel, key);
    },
  };
}
