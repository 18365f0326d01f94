import { ExponentialBackoff, handleWhen, retry } from "cockatiel";

/**
 * Faults of the connection, not of the request: the database dropped or refused the connection
 * (a restart, a failover, `pg_terminate_backend`, too many clients), or the socket broke. Such a
 * fault passes; the same statement may succeed a moment later. SQLSTATE classes 08 (connection
 * exception) and 57P (operator intervention), 53300 (too many connections), and the socket errors
 * of Node and the drivers, wherever they sit in the error (Prisma wraps the driver's).
 */
const SQL_CODES = /^(08[0-9A-Z]{3}|57P0[1-4]|53300|P1001|P1002|P1017)$/;
/** Socket errors count only where a database driver raised them (not a model provider's fetch). */
const SOCKET_CODES = /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN)$/;
const MESSAGES =
  /terminating connection due to|Connection terminated unexpectedly|Client has encountered a connection error|server closed the connection unexpectedly|Can't reach database server|the database system is (starting up|shutting down)|timeout exceeded when trying to connect/i;

/**
 * Whether `test` holds for the error or anything it wraps (`cause`, Prisma's `meta` and its
 * `driverAdapterError`); `driver` says whether a database driver raised that part.
 */
function someInError(
  error: unknown,
  test: (o: Record<string, unknown>, depth: number, driver: boolean) => boolean,
): boolean {
  const seen = new Set<unknown>();
  const walk = (e: unknown, depth: number, driver: boolean): boolean => {
    if (!e || typeof e !== "object" || seen.has(e) || depth > 6) return false;
    seen.add(e);
    const o = e as Record<string, unknown>;
    if (test(o, depth, driver)) return true;
    return (
      walk(o.cause, depth + 1, driver) || walk(o.meta, depth + 1, driver) || walk(o.driverAdapterError, depth + 1, true)
    );
  };
  return walk(error, 0, false);
}

export function isConnectionError(error: unknown): boolean {
  if (error instanceof TypeError && error.message === "fetch failed") return false;
  return someInError(error, (o, depth, driver) => {
    for (const key of ["code", "originalCode"]) {
      const code = o[key];
      if (typeof code !== "string") continue;
      if (SQL_CODES.test(code) || ((depth === 0 || driver) && SOCKET_CODES.test(code))) return true;
    }
    return ["message", "originalMessage"].some((key) => typeof o[key] === "string" && MESSAGES.test(o[key] as string));
  });
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity constraint): the data, not the connection. */
export function isDataError(error: unknown): boolean {
  return someInError(error, (o) =>
    ["code", "originalCode", "sqlState"].some(
      (key) => typeof o[key] === "string" && /^2[23][0-9A-Z]{3}$/.test(o[key] as string),
    ),
  );
}

/**
 * Runs `fn` again after a connection fault, with a growing pause (0.1 s doubling up to 2 s,
 * `attempts` tries in all, about 6 s for the default 6); any other error goes straight through.
 * Only for statements that are safe to repeat (upserts, conditional updates).
 */
export function retryTransient<T>(fn: () => Promise<T>, attempts = 6): Promise<T> {
  const policy = retry(handleWhen(isConnectionError), {
    maxAttempts: attempts - 1,
    backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 2_000 }),
  });
  return policy.execute(() => fn());
}

/**
 * Runs `run` again when PostgreSQL undid it to break a deadlock (SQLSTATE 40P01), up to `tries`
 * times in all: for single statements that lock rows they may also insert (two of them making
 * the same new rows can each wait for the other). The statement was undone whole, so it is safe.
 * `beforeAgain` runs first each time (to take away the deadlock's cause, such as rows to make),
 * then a short random pause, so two undone statements do not meet again at once.
 */
export async function againOnDeadlock<T>(
  run: () => Promise<T>,
  tries = 4,
  beforeAgain?: () => Promise<unknown>,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (error) {
      if ((error as { code?: string }).code !== "40P01" || i >= tries) throw error;
      await beforeAgain?.();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * i));
    }
  }
}
