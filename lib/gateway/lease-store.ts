import "server-only";
import { database } from "../db/client";
import { retryTransient } from "../db/transient";
import { logger } from "../log/logger";
import { onShutdown } from "../platform/shutdown";
import { processSingleton } from "../process/singleton";
import type { CapRow } from "./budget";
import { FLUSH } from "./lease-sql";
import type { Limit } from "./limits";

/**
 * What this process holds of the gateway's limits and caps (./leases.ts takes from it), and its
 * writing back: spend and corrections in batches (within 100 ms; on the embedded database as
 * each call ends), unused slices once idle, everything at shutdown. A write the database
 * refused is kept and written again.
 */
export const IDLE_MS = 250;
export const FLUSH_MS = 100;
export const INT_MAX = 2_147_483_647;

export interface LeaseBase {
  /** The counter's key, or a budget row's key and period. */
  id: string;
  key: string;
  /** The limit or cap it was granted under: a change retires it. */
  cap: number;
  /** Held and not yet used (a counter's may go below zero: tokens used past an estimate). */
  left: number;
  lastGrant: number;
  /** Granted exactly what a call needed (near a limit): written back at once, not batched. */
  exact: boolean;
  lastUsed: number;
  inFlight: number;
  retired: boolean;
  toppingUp: boolean;
}
export interface CounterLease extends LeaseBase {
  kind: "counter";
  /** The end of the minute its count is in. */
  window: number;
  /** What to add to the counter at the next flush. */
  correction: number;
}
export interface BudgetLease extends LeaseBase {
  kind: "budget";
  start: Date;
  /** USD to take off the row's reservation, and to add to its spend, at the next flush. */
  release: number;
  spend: number;
}
export type Lease = CounterLease | BudgetLease;

/** What a call needs of one limit or cap, and what a lease of it would like (64 calls' worth). */
export type Item =
  | { kind: "counter"; limit: Limit; id: string; cap: number; need: number; want: number }
  | { kind: "budget"; row: CapRow; id: string; cap: number; need: number; want: number };
export type Taken = { item: Item; lease: Lease };

interface State {
  current: Map<string, Lease>;
  all: Set<Lease>;
  timer: { handle: NodeJS.Timeout; due: number } | null;
  flushing: Promise<void> | null;
  /** Grant statements under way. */
  grants: Set<Promise<unknown>>;
  again: boolean;
  /** On the embedded database: what an earlier process left reserved, given back before the first grant. */
  recovered: Promise<void> | null;
  /** On the embedded database, a call's spend is written back as it ends, not within 100 ms (./leases.ts `recovered`). */
  atOnce: boolean;
  stats: { grantsOnCall: number; topUps: number; flushes: number };
}

export const state = () =>
  processSingleton<State>("gateway-leases", () => {
    onShutdown("gateway-leases", "flush", releaseLeases);
    return {
      current: new Map(),
      all: new Set(),
      timer: null,
      flushing: null,
      grants: new Set(),
      again: false,
      recovered: null,
      atOnce: false,
      stats: { grantsOnCall: 0, topUps: 0, flushes: 0 },
    };
  });

/** Statements run, for tests and benchmarks: grants a call waited for, background top-ups, flushes. */
export const leaseStats = () => ({ ...state().stats });

/** The counter's lease for this window: the current one, or a new one (the old retired). */
export function counterLease(item: Extract<Item, { kind: "counter" }>, window: number): CounterLease {
  const s = state();
  const found = s.current.get(item.id);
  if (found?.kind === "counter" && found.window === window && found.cap === item.cap && !found.retired) return found;
  if (found) found.retired = true;
  const lease: CounterLease = {
    ...base(item),
    kind: "counter",
    window,
    correction: 0,
  };
  s.current.set(item.id, lease);
  s.all.add(lease);
  return lease;
}

/** The budget row's lease under this cap: the current one, or a new one (the old retired). */
export function budgetLease(item: Extract<Item, { kind: "budget" }>): BudgetLease {
  const s = state();
  const found = s.current.get(item.id);
  if (found?.kind === "budget" && found.cap === item.cap && !found.retired) return found;
  if (found) found.retired = true;
  const lease: BudgetLease = { ...base(item), kind: "budget", start: item.row.start, release: 0, spend: 0 };
  s.current.set(item.id, lease);
  s.all.add(lease);
  return lease;
}

const base = (item: Item) => ({
  id: item.id,
  key: item.kind === "counter" ? item.id : item.row.key,
  cap: item.cap,
  left: 0,
  lastGrant: 0,
  exact: true,
  lastUsed: Date.now(),
  inFlight: 0,
  retired: false,
  toppingUp: false,
});

/** A call ended: what it used becomes pending for the next write-back, the rest of its takes go back. */
export function settle(taken: Taken[], actualTokens: number, costUsd: number) {
  const now = Date.now();
  let soon = false;
  for (const { item, lease } of taken) {
    lease.inFlight -= 1;
    lease.lastUsed = now;
    soon ||= lease.exact || lease.retired;
    if (lease.kind === "counter") {
      // Tokens are corrected to what the call used, in the minute it was counted in.
      if (item.kind === "counter" && item.limit.kind === "tokens" && now < lease.window)
        lease.left -= actualTokens - item.need;
      continue;
    }
    const used = Math.min(costUsd, item.need);
    lease.release += used;
    lease.spend += costUsd;
    lease.left += item.need - used;
  }
  schedule(soon || state().atOnce ? 0 : FLUSH_MS);
}

export function schedule(delayMs: number) {
  const s = state();
  const due = Date.now() + delayMs;
  if (s.timer && s.timer.due <= due) return;
  if (s.timer) clearTimeout(s.timer.handle);
  const handle = setTimeout(() => {
    s.timer = null;
    // flush() logs its own failures; this catch is for a fault in scheduling the next one.
    void flush()
      .then(() => s.all.size && schedule(FLUSH_MS))
      .catch((error) => logger().error({ err: error }, "could not schedule the gateway's next write-back"));
  }, delayMs);
  handle.unref();
  s.timer = { handle, due };
}

/** Writes back spend, corrections and idle leases; one flush at a time, another after it if asked. */
export function flush(): Promise<void> {
  const s = state();
  if (s.flushing) {
    s.again = true;
    return s.flushing;
  }
  s.flushing = writeBack()
    .catch((error) => {
      logger().error({ err: error }, "could not write the gateway's leases back; will try again");
      schedule(FLUSH_MS);
    })
    .finally(() => {
      s.flushing = null;
      if (s.again) {
        s.again = false;
        schedule(0);
      }
    });
  return s.flushing;
}

async function writeBack(): Promise<void> {
  const s = state();
  const now = Date.now();
  const counters = new Map<string, { diff: number; window: number }>();
  const budgets = new Map<string, { key: string; start: Date; release: number; spend: number }>();
  const undo: (() => void)[] = [];
  const done: Lease[] = [];
  for (const lease of s.all) {
    // An exact lease holds nothing past its calls: what they left goes back at once.
    const idle = lease.retired || now - lease.lastUsed >= IDLE_MS;
    const giveUp = idle || lease.exact;
    if (lease.kind === "counter") {
      if (now >= lease.window) {
        lease.left = 0; // its minute is over: nothing it held counts any more
        lease.correction = 0;
      } else {
        if (giveUp) {
          lease.correction -= lease.left;
          lease.left = 0;
        }
        const diff = lease.correction;
        const seen = counters.get(lease.key);
        if (diff && (!seen || seen.window <= lease.window)) {
          counters.set(lease.key, {
            diff: (seen?.window === lease.window ? seen.diff : 0) + diff,
            window: lease.window,
          });
          lease.correction = 0;
          undo.push(() => (lease.correction += diff));
        }
      }
    } else {
      if (giveUp && lease.left > 0) {
        lease.release += lease.left;
        lease.left = 0;
      }
      const { release, spend } = lease;
      if (release || spend) {
        const id = `${lease.key}|${lease.start.toISOString()}`;
        const seen = budgets.get(id) ?? { key: lease.key, start: lease.start, release: 0, spend: 0 };
        budgets.set(id, { ...seen, release: seen.release + release, spend: seen.spend + spend });
        lease.release = 0;
        lease.spend = 0;
        undo.push(() => ((lease.release += release), (lease.spend += spend)));
      }
    }
    const empty = lease.kind === "counter" ? !lease.correction : !lease.release && !lease.spend;
    if (idle && !lease.inFlight && lease.left === 0 && empty) done.push(lease);
  }
  const forget = () => {
    for (const lease of done) {
      if (lease.inFlight || lease.left) continue; // taken again meanwhile
      s.all.delete(lease);
      if (s.current.get(lease.id) === lease) s.current.delete(lease.id);
    }
  };
  if (!counters.size && !budgets.size) return forget();
  const c = [...counters].sort(([a], [b]) => (a < b ? -1 : 1));
  const b = [...budgets.values()];
  try {
    const { sql } = await database();
    await retryTransient(() =>
      sql.query(
        FLUSH,
        [
          c.map(([key]) => key),
          c.map(([, v]) => Math.max(-INT_MAX, Math.min(INT_MAX, v.diff))),
          c.map(([, v]) => v.window),
          b.map((v) => v.key),
          b.map((v) => v.start.toISOString()),
          b.map((v) => v.release),
          b.map((v) => v.spend),
        ],
        "flowdeck_lease_flush",
      ),
    );
    s.stats.flushes += 1;
    forget();
  } catch (error) {
    // Kept to write again: a budget errs on the safe side meanwhile (still reserved).
    for (const back of undo) back();
    for (const lease of s.all) lease.lastUsed = Math.min(lease.lastUsed, now);
    throw error;
  }
}

/** Gives back everything this process holds (at shutdown, and for tests): waits until written. */
export async function releaseLeases(): Promise<void> {
  const s = state();
  // Grants under way first: what they bring is given back with the rest.
  await Promise.allSettled([...s.grants]);
  for (const lease of s.all) lease.retired = true;
  s.current.clear();
  await s.flushing;
  await flush();
}
