import "server-only";
import type { Sql } from "../db/client";
import { logger } from "../log/logger";
import { budgetExceeded, capRows, forgetCapRows, type Cap, type CapRow } from "./budget";
import { GRANT, type GrantRow } from "./lease-sql";
import {
  flush,
  FLUSH_MS,
  INT_MAX,
  schedule,
  state,
  type BudgetLease,
  type CounterLease,
  type Lease,
} from "./lease-store";
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
 * Kept: all a process holds is counted in the database, so processes together never pass a
 * limit or cap; near one (under 16 calls' worth left) a lease is exactly the call's need, so
 * the last calls are let through one by one, exactly; a changed limit drops the leases taken
 * under the old one. Cost: a call may be refused while another process holds an unused slice
 * (up to 250 ms); a process killed outright leaves its slices counted (a counter until its
 * minute ends, a budget's reservation until its period ends: about 64 calls' cost per cap).
 */
const MAX_CALLS = 64;
const TOP_UP_BELOW = 0.25;
/** A counter's lease is not used this close to the end of its minute. */
const WINDOW_MARGIN_MS = 200;

/** What a call needs of one limit or cap, and what a lease of it would like (64 calls' worth). */
type Item =
  | { kind: "counter"; limit: Limit; id: string; cap: number; need: number; want: number }
  | { kind: "budget"; row: CapRow; id: string; cap: number; need: number; want: number };
type Taken = { item: Item; lease: Lease };

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

export { leaseStats, releaseLeases } from "./lease-store";
