import "server-only";
import type { Sql } from "../db/client";
import { againOnDeadlock } from "../db/transient";
import { logger } from "../log/logger";
import { budgetExceeded, capRows, forgetCapRows, type Cap } from "./budget";
import { GRANT, MAKE_COUNTERS, RECOVER, type GrantRow } from "./lease-sql";
import {
  budgetLease,
  counterLease,
  flush,
  INT_MAX,
  schedule,
  state,
  settle,
  type Item,
  type Lease,
  type Taken,
} from "./lease-store";
import { keyOf, pointsOf, rateLimited, type Hold, type Limit } from "./limits";

export { leaseStats, releaseLeases } from "./lease-store";

/**
 * Leased allowances, on either database: each process leases a slice of every limit and cap it uses
 * (`GRANT`, ./lease-sql.ts: at most a sixteenth of what is left, 64 calls' worth), admits calls
 * from it in memory, tops it up in the background, and writes back in batches (./lease-store.ts).
 *
 * Kept: all a process holds is counted in the database, so processes together never pass a
 * limit or cap; a call short of its lease takes what the lease still holds and asks the rest;
 * near a limit (under 16 calls' worth left) a lease is exactly the call's need. A changed limit
 * drops the leases taken under it. Cost: a call may be refused while another process holds an
 * unused slice (up to 250 ms); a process killed outright leaves its slices counted (about 64
 * calls' cost per cap: a counter's until its minute ends, a budget's until its period ends on
 * PostgreSQL, and until the studio starts again on the embedded database, `recovered`).
 */
const MAX_CALLS = 64;
const TOP_UP_BELOW = 0.25;
/** A counter's lease is not used this close to the end of its minute. */
const WINDOW_MARGIN_MS = 200;

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
  /** What a short lease still held goes to the call (its needs in full); only the rest is asked. */
  const folded: { lease: Lease; amount: number }[] = [];
  for (const item of items) {
    const lease = usable(item, now);
    if (lease && lease.left >= item.need) {
      lease.left -= item.need;
      hold(lease, now);
      taken.push({ item, lease });
      continue;
    }
    const rest = lease && lease.left > 0 ? lease.left : 0;
    if (lease && rest) {
      lease.left = 0;
      lease.lastUsed = now;
      folded.push({ lease, amount: rest });
    }
    short.push({ ...item, need: item.need - rest });
  }
  // What this process's calls used and left of the same rows is written first: the grant then
  // reads what is really spent and free, so a call is not refused, nor told "$0.00 is spent",
  // over a settlement still on its way. That includes a write-back already under way (another
  // call's, maybe started while this one waited): it took the spend out of the leases as it
  // started, so `owed` no longer sees it.
  if (short.length) {
    while (state().flushing) await state().flushing;
    if (owed(short)) await flush();
  }
  if (short.length) {
    state().stats.grantsOnCall += 1;
    try {
      const byId = new Map(items.map((i) => [i.id, i]));
      taken.push(...(await grant(sql, short, false)).map((t) => ({ item: byId.get(t.item.id)!, lease: t.lease })));
    } catch (refusal) {
      giveBack(taken);
      for (const { lease, amount } of folded) lease.left += amount;
      throw refusal;
    }
  }
  topUp(sql, taken);
  return { settle: (actualTokens, costUsd) => settle(taken, actualTokens, costUsd) };
}

/** Whether this process has something of these items' rows still to write back. */
function owed(items: Item[]): boolean {
  const keys = new Set(items.map((i) => (i.kind === "counter" ? i.id : i.row.key)));
  for (const lease of state().all)
    if (keys.has(lease.key) && (lease.kind === "counter" ? lease.correction !== 0 : lease.release || lease.spend))
      return true;
  return false;
}

/** A call holds the lease from the moment it takes from it: a write-back leaves it alone meanwhile. */
function hold(lease: Lease, now = Date.now()) {
  lease.inFlight += 1;
  lease.lastUsed = now;
}

const held = (item: Item, lease: Lease): Taken => (hold(lease), { item, lease });

/** A refused call's takes go back to their leases; requests stay counted (a refused call counts as one). */
function giveBack(taken: Taken[]) {
  for (const { item, lease } of taken) {
    lease.inFlight -= 1;
    if (item.kind === "budget" || item.limit.kind === "tokens") lease.left += item.need;
  }
}

/**
 * Leases more for `items` (their needs taken for the call in hand, unless `background`), or
 * refuses the call naming the first limit or cap it would pass.
 */
async function grant(sql: Sql, items: Item[], background: boolean, again = false): Promise<Taken[]> {
  if (sql.kind === "pglite") await recovered(sql);
  const now = Date.now();
  // Counters in key order, as every statement locks them; two grants making the same new
  // counters can still deadlock, and the one undone is run again.
  const counters = items.filter((i) => i.kind === "counter").sort((a, b) => (a.id < b.id ? -1 : 1));
  const budgets = items.filter((i) => i.kind === "budget");
  const keys = counters.map((i) => i.id);
  const query = againOnDeadlock(
    () =>
      sql.query<GrantRow>(
        GRANT,
        [
          keys,
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
      ),
    6,
    // Undone for a deadlock: the new counters are made first, so the grant run again meets none.
    () => sql.query(MAKE_COUNTERS, [keys], "flowdeck_lease_make_counters"),
  );
  // Shutdown waits for grants under way, so none leaves a slice nobody gives back.
  const pending = state().grants;
  pending.add(query);
  void query.then(
    () => pending.delete(query),
    () => pending.delete(query),
  );
  const result = await query;
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
      lease.lastUsed = Date.now();
      if (!background) taken.push(held(item, lease));
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
    lease.lastUsed = Date.now();
    if (!background) taken.push(held(item, lease));
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

/**
 * The embedded database belongs to one process, so before this process's first grant every
 * reservation in it is an earlier process's, left by a kill or a crash before it wrote its
 * leases back: given back now, or a budget would keep it for the rest of its period. So that
 * only the calls under way at such a kill go uncharged (as they go unrecorded in the ledger),
 * this process writes each call's spend back as the call ends. Counters left counted end with
 * their minute. On PostgreSQL other processes hold theirs: kept, and spend written within 100 ms.
 */
function recovered(sql: Sql): Promise<void> {
  const s = state();
  s.atOnce = true;
  s.recovered ??= sql.query(RECOVER).then(
    () => undefined,
    (error: unknown) => {
      s.recovered = null;
      throw error;
    },
  );
  return s.recovered;
}

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
