// Saga figures read from an orders table (the system's, or the write baseline's, which has the
// same columns): how fast orders reach a final status while the load runs and after it.
import { setTimeout as sleep } from 'node:timers/promises';
import { withDatabase } from './pg.mjs';

export const pendingOrders = (database) =>
  withDatabase(database, async (client) => {
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM orders WHERE status = 'PENDING'`);
    return rows[0].n;
  });

/** Seconds until no order is PENDING, polling every 200 ms; null if still some after timeoutSeconds. */
export async function drainSeconds(database, timeoutSeconds) {
  const started = performance.now();
  while ((performance.now() - started) / 1000 < timeoutSeconds) {
    if ((await pendingOrders(database)) === 0) return Math.round(performance.now() - started) / 1000;
    await sleep(200);
  }
  return null;
}

/**
 * For a load window [from, to): orders confirmed per second within it, and for the orders placed
 * within it, placed → final (CONFIRMED or REJECTED) latency p50/p99 in ms. Read after the drain,
 * so that every order placed in the window has its final status.
 */
export const sagaFigures = (database, from, to) =>
  withDatabase(database, async (client) => {
    const placed = `created_at >= $1 AND created_at < $2`;
    const latency = `extract(epoch FROM updated_at - created_at) * 1000`;
    const { rows } = await client.query(
      `SELECT count(*) FILTER (WHERE status = 'CONFIRMED' AND updated_at >= $1 AND updated_at < $2)::int AS confirmed,
              count(*) FILTER (WHERE ${placed})::int AS placed,
              count(*) FILTER (WHERE ${placed} AND status = 'REJECTED')::int AS rejected,
              count(*) FILTER (WHERE ${placed} AND status = 'PENDING')::int AS pending,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY ${latency}) FILTER (WHERE ${placed} AND status <> 'PENDING') AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY ${latency}) FILTER (WHERE ${placed} AND status <> 'PENDING') AS p99
         FROM orders`,
      [from, to],
    );
    const row = rows[0];
    const seconds = (to - from) / 1000;
    return {
      placed: row.placed,
      confirmed: row.confirmed,
      confirmedPerSecond: Math.round(row.confirmed / seconds),
      rejected: row.rejected,
      stillPending: row.pending,
      placedToFinalP50: row.p50 === null ? null : Math.round(row.p50),
      placedToFinalP99: row.p99 === null ? null : Math.round(row.p99),
    };
  });
