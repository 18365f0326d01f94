import { Pool, type PoolConfig } from "pg";
import { logger } from "../log/logger";

/**
 * A `pg` pool whose connections can drop without taking the process down. `pg` emits "error"
 * on a connection the server closed while no query ran on it (an idle one, or one just handed
 * out by the pool, before its query is sent); with nobody listening, Node ends the process
 * (seen here: a worker exited when the database terminated its backends). Every pool of
 * Flowdeck (Prisma's, the queue's, the rate limits') listens on the pool and on each connection;
 * the statement that needed the connection fails on its own and is retried where that is safe
 * (lib/db/transient).
 */
export function guardedPool(config: PoolConfig & { application_name: string }): Pool {
  const pool = new Pool(config);
  const dropped = (error: Error) =>
    logger().warn({ err: error, pool: config.application_name }, "a database connection dropped");
  pool.on("error", dropped);
  pool.on("connect", (client) => client.on("error", dropped));
  return pool;
}
