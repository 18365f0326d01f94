import "server-only";
import type { Sql } from "../db/client";
import { database } from "../db/client";
import { retryTransient } from "../db/transient";
import { logger } from "../log/logger";
import { onShutdown } from "../platform/shutdown";
import { processSingleton } from "../process/singleton";
import { budgetExceeded, capRows, forgetCapRows, type Cap, type CapRow } from "./budget";
import { FLUSH, GRANT, type GrantRow } from "./lease-sql";
import { keyOf, pointsOf, rateLimited, type Hold, type Limit } from "./limits";

/**
 * Leased allowances, on PostgreSQL: a call's rate limits and budget caps are taken from what
 * this process holds in memory, not from the database on every call. Each process leases a
 * slice of every limit and cap it uses (one statement, `GRANT` in ./lease-sql.ts: at most a
 * sixteenth of what is left, at most 64 calls' worth), admits calls from it, and writes back
 * in batches: spend and token corrections within 100 ms, anything unused once a lease has been
 * idle for 250 ms (`FLUSH`). A lease running low is topped up in the background, so a steady
 * stream of calls reaches the database about once per 48 calls, off its hot path.
 *
 * What this keeps: everything a process holds is counted in the database, so processes
 * together never pass a limit or cap. Near one (less than 16 calls' worth left) a lease is
 * exactly the call's own need, and every call takes its turn in the database as before, so the
 * last calls under a cap are let through one by one and exactly. A changed limit drops the
 * leases taken under the old one. What it costs: a call may be refused while another process
 * holds an unused slice, for up to 250 ms; a process killed outright leaves its slices counted
 * (a counter until its minute ends, a budget's reservation until its period ends: at most 64
 * calls' cost per cap, the safe side).
 */
const MAX_CALLS = 64;
const TOP_UP_BELOW = 0.25;
const IDLE_MS = 250;
const FLUSH_MS = 100;
/** A counter's lease is not used this close to the end of its minute. */
const WINDOW_MARGIN_MS = 200;
const INT_MAX = 2_147_483_647;

interface LeaseBase {
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
interface CounterLease extends LeaseBase {
  kind: "counter";
  /** The end of the minute its count is in. */
  window: number;
  /** What to add to the counter at the next flush. */
  correction: number;
}
interface BudgetLease extends LeaseBase {
  kind: "budget";
  start: Date;
  /** USD to take off the row's reservation, and to add to its spend, at the next flush. */
  release: number;
  spend: number;
}
type Lease = CounterLease | BudgetLease;

/** What a call needs of one limit or cap, and what a lease of it would like (64 calls' worth). */
type Item =
  | { kind: "counter"; limit: Limit; id: string; cap: number; need: number; want: number }
  | { kind: "budget"; row: CapRow; id: string; cap: number; need: number; want: number };
type Taken = { item: Item; lease: Lease };

interface State {
  current: Map<string, Lease>;
  all: Set<Lease>;
  timer: { handle: NodeJS.Timeout; due: number } | null;
  flushing: Promise<void> | null;
  again: boolean;
  stats: { grantsOnCall: number; topUps: number; flushes: number };
}

const state = () =>
  processSingleton<State>("gateway-leases", () => {
    onShutdown("gateway-leases", "flush", releaseLeases);
    return {
      current: new Map(),
      all: new Set(),
      timer: null,
      flushing: null,
      again: false,
      stats: { grantsOnCall: 0, topUps: 0, flushes: 0 },
    };
  });

/** Statements run, for tests and benchmarks: grants a call waited for, background top-ups, flushes. */
export const leaseStats = () => ({ ...state().stats });

const NO_HOLD: Hold = { settle: () => undefined };

/** The lease an item may take from now, if any (not retired, same limit, its minute not ending). */
function usable(item: Item, now: number): Lease | null {
  const lease = state().current.get(item.id);
  if (!lease) return null;
  if (lease.cap !== item.cap) {
    lease.retired = true;
    state().current.delete(item.id);
    return null;
  }
  if (lease.kind === "counter" && now >= lease.window - WINDOW_MARGIN_MS) return null;
  return lease;
}

/** Takes the call's limits and caps from this process's leases, leasing more where they fall short. */
export async function takeLeased(
  sql: Sql,
  limits: Limit[],
  tokens: number,
  caps: Cap[],
  amountUsd: number,
): Promise<Hold> {
  if (!limits.length && !caps.length) return NO_HOLD;
  const rows = caps.length ? await capRows(sql, caps) : [];
  const items: Item[] = [
    ...limits.map((limit) => ({
      kind: "counter" as const,
      limit,
      id: keyOf(limit),
      cap: limit.perMinute,
      need: pointsOf(limit, tokens),
      want: Math.min(INT_MAX, pointsOf(limit, tokens) * MAX_CALLS),
    })),
    ...rows.map((row) => ({
      kind: "budget" as const,
      row,
      id: `${row.key}|${row.start.toISOString()}`,
      cap: row.limitUsd,
      need: amountUsd,
      want: amountUsd * MAX_CALLS,
    })),
  ];
  // A limit or cap changed since this process leased under it: what it held goes back first.
  if (items.some((i) => (state().current.get(i.id)?.cap ?? i.cap) !== i.cap)) {
    for (const item of items) usable(item, 0);
    await state().flushing;
    await flush();
  }
  const now = Date.now();
  const taken: Taken[] = [];
  const short: Item[] = [];
  for (const item of items) {
    const lease = usable(item, now);
    if (lease && lease.left >= item.need) {
      lease.left -= item.need;
      taken.push({ item, lease });
    } else short.push(item);
  }
  if (short.length) {
    state().stats.grantsOnCall += 1;
    try {
      taken.push(...(await grant(sql, short, false)));
    } catch (refusal) {
      giveBack(taken);
      throw refusal;
    }
  }
  for (const { lease } of taken) {
    lease.inFlight += 1;
    lease.lastUsed = now;
  }
  topUp(sql, taken);
  return { settle: (actualTokens, costUsd) => settle(taken, actualTokens, costUsd) };
}

/** A refused call's takes go back to their leases; requests stay counted (a refused call counts as one). */
function giveBack(taken: Taken[]) {
  for (const { item, lease } of taken)
    if (item.kind === "budget" || item.limit.kind === "tokens") lease.left += item.need;
}

/**
 * Leases more for `items` (their needs taken for the call in hand, unless `background`), or
 * refuses the call naming the first limit or cap it would pass.
 */
async function grant(sql: Sql, items: Item[], background: boolean, again = false): Promise<Taken[]> {
  const now = Date.now();
  const counters = items.filter((i) => i.kind === "counter");
  const budgets = items.filter((i) => i.kind === "budget");
  const result = await sql.query<GrantRow>(
    GRANT,
    [
      counters.map((i) => i.id),
      counters.map((i) => i.need),
      counters.map((i) => i.want),
      counters.map((i) => i.cap),
      counters.map(() => now + 60_000),
      now,
      budgets.map((i) => i.row.key),
      budgets.map((i) => i.row.start.toISOString()),
      budgets.map((i) => i.cap),
      budgets.map((i) => i.need),
      budgets.map((i) => i.want),
    ],
    "flowdeck_lease_grant",
  );
  const taken: Taken[] = [];
  const missing: Item[] = [];
  let refusal: Error | null = null;
  for (const item of items) {
    const row = result.find(
      (r) => r.kind === item.kind && r.key === (item.kind === "counter" ? item.id : item.row.key),
    );
    if (item.kind === "counter") {
      if (!row || row.grant === null) continue;
      const window = Number(row.expire);
      const lease = counterLease(item, window);
      const over = row.value - row.grant + item.need > item.cap;
      if (over) {
        // Counted by the call's need only: tokens go back; a request stays counted.
        if (item.limit.kind === "tokens") lease.correction -= item.need;
        refusal ??= background ? null : rateLimited(item.limit, window - Date.now());
        schedule(0);
        continue;
      }
      // Two processes making the same counter at once: what passed the limit goes back.
      const excess = Math.max(0, row.value - item.cap);
      lease.correction -= excess;
      lease.left += row.grant - excess - (background ? 0 : item.need);
      lease.lastGrant = row.grant - excess;
      lease.exact = lease.lastGrant <= item.need;
      if (!background) taken.push({ item, lease });
      continue;
    }
    if (!row) {
      // Not there (the row was deleted since), or not asked (a counter was over).
      if (!refusal && !background) missing.push(item);
      continue;
    }
    if (row.grant === null) {
      refusal ??= background ? null : budgetExceeded(item.row, row.value, item.need);
      continue;
    }
    const lease = budgetLease(item);
    lease.left += row.grant - (background ? 0 : item.need);
    lease.lastGrant = row.grant;
    lease.exact = row.grant <= item.need;
    if (!background) taken.push({ item, lease });
  }
  if (!refusal && missing.length) {
    if (again) refusal = budgetExceeded((missing[0] as Extract<Item, { kind: "budget" }>).row, 0, missing[0]!.need);
    else {
      // Made again, and leased once more.
      const rows = missing.map((i) => (i as Extract<Item, { kind: "budget" }>).row);
      forgetCapRows(rows);
      try {
        await capRows(sql, rows);
        taken.push(...(await grant(sql, missing, false, true)));
      } catch (error) {
        giveBack(taken);
        throw error;
      }
    }
  }
  if (refusal) {
    giveBack(taken);
    throw refusal;
  }
  return taken;
}

function counterLease(item: Extract<Item, { kind: "counter" }>, window: number): CounterLease {
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

function budgetLease(item: Extract<Item, { kind: "budget" }>): BudgetLease {
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

/** Leases running low are topped up in the background: the next calls need not wait. */
function topUp(sql: Sql, taken: Taken[]) {
  const low = taken.filter(
    ({ lease }) => !lease.exact && !lease.toppingUp && !lease.retired && lease.left < lease.lastGrant * TOP_UP_BELOW,
  );
  if (!low.length) return;
  for (const { lease } of low) lease.toppingUp = true;
  state().stats.topUps += 1;
  void grant(
    sql,
    low.map(({ item }) => ({ ...item, need: 0 })),
    true,
  )
    .catch((error) =>
      logger().warn({ err: error }, "could not top up the gateway's leases; calls will lease as they go"),
    )
    .finally(() => {
      for (const { lease } of low) lease.toppingUp = false;
    });
}

function settle(taken: Taken[], actualTokens: number, costUsd: number) {
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
  schedule(soon ? 0 : FLUSH_MS);
}

function schedule(delayMs: number) {
  const s = state();
  const due = Date.now() + delayMs;
  if (s.timer && s.timer.due <= due) return;
  if (s.timer) clearTimeout(s.timer.handle);
  const handle = setTimeout(() => {
    s.timer = null;
    void flush().then(() => s.all.size && schedule(FLUSH_MS));
  }, delayMs);
  handle.unref();
  s.timer = { handle, due };
}

/** Writes back spend, corrections and idle leases; one flush at a time, another after it if asked. */
function flush(): Promise<void> {
  const s = state();
  if (s.flushing) {
    s.again = true;
    return s.flushing;
  }
  s.flushing = writeBack()
    .catch((error) => logger().error({ err: error }, "could not write the gateway's leases back; will try again"))
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
  for (const lease of s.all) lease.retired = true;
  s.current.clear();
  await s.flushing;
  await flush();
}
