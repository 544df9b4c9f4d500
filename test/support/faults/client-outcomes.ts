import { queryDatabase } from '../postgres-test-kit.js';
import type { SystemUnderTest } from '../system-under-test.js';
import type { Placement } from './load-driver.js';

const FINAL_STATUSES = ['CONFIRMED', 'REJECTED', 'CANCELLED'];

/** What the databases hold for a set of placements, compared with what their client was told. */
export interface ClientOutcomes {
  /** Keys tried. */
  placed: number;
  /** Keys answered 2xx. */
  acknowledged: number;
  /** Orders of these users in a final status. */
  final: number;
  /** Keys answered 2xx whose order is missing or not final. */
  lost: number;
  /** Orders beyond one per key, keys sharing an order, reservations beyond one per order. */
  duplicated: number;
  /** Orders that exist although their client never got a 2xx (it gave up): not lost, not promised. */
  unacknowledgedOrders: number;
  /** Every violation, named. */
  violations: string[];
}

/**
 * Checks the client's view against the databases: every key answered 2xx maps to exactly one
 * order (the one its answer named, recorded once under that key), that order is final, no
 * order exists twice or half-written (without its OrderPlaced), and none was reserved twice.
 */
export async function clientOutcomes(system: SystemUnderTest, placements: Placement[]): Promise<ClientOutcomes> {
  const userIds = [...new Set(placements.map((placement) => placement.user.id))];
  const orders = await queryDatabase<{ id: string; user_id: string; status: string }>(
    system.databases.orders,
    'SELECT id, user_id, status FROM orders WHERE user_id = ANY($1::uuid[])',
    [userIds],
  );
  const keys = await queryDatabase<{ user_id: string; key: string; order_id: string | null }>(
    system.databases.orders,
    "SELECT user_id, key, response->>'id' AS order_id FROM idempotency_keys WHERE user_id = ANY($1::uuid[])",
    [userIds],
  );
  const reservations = await queryDatabase<{ order_id: string; n: number }>(
    system.databases.users,
    'SELECT order_id, count(*)::int AS n FROM credit_reservations WHERE user_id = ANY($1::uuid[]) GROUP BY 1',
    [userIds],
  );
  const placedEvents = await queryDatabase<{ order_id: string }>(
    system.databases.orders,
    `SELECT payload->>'orderId' AS order_id FROM outbox
      WHERE type = 'OrderPlaced' AND payload->>'userId' = ANY($1::text[])`,
    [userIds],
  );
  const orderById = new Map(orders.map((order) => [order.id, order]));
  const keyRow = new Map(keys.map((row) => [`${row.user_id}/${row.key}`, row]));
  const violations: string[] = [];
  let lost = 0;
  let duplicated = 0;

  const acknowledged = placements.filter((placement) => placement.final !== null && placement.final < 300);
  const keysByOrder = new Map<string, number>();
  for (const placement of acknowledged) {
    const order = placement.orderId ? orderById.get(placement.orderId) : undefined;
    const row = keyRow.get(`${placement.user.id}/${placement.key}`);
    if (!order || !FINAL_STATUSES.includes(order.status)) {
      lost += 1;
      violations.push(
        `key ${placement.key}: answered ${placement.final} with ${placement.orderId}, order ${order?.status ?? 'missing'}`,
      );
    }
    if (row?.order_id !== placement.orderId) {
      violations.push(
        `key ${placement.key}: the client got ${placement.orderId}, the key records ${row?.order_id ?? 'nothing'}`,
      );
    }
    if (placement.orderId) keysByOrder.set(placement.orderId, (keysByOrder.get(placement.orderId) ?? 0) + 1);
  }
  for (const [orderId, n] of keysByOrder) {
    if (n > 1) {
      duplicated += n - 1;
      violations.push(`order ${orderId} answered for ${n} keys`);
    }
  }
  // An order no key records was placed without the client being able to find it again.
  const recorded = new Set(keys.map((row) => row.order_id));
  for (const order of orders) {
    if (!recorded.has(order.id)) {
      duplicated += 1;
      violations.push(`order ${order.id} is recorded under no Idempotency-Key`);
    }
  }
  // Half-written: an order saved without the event that starts its saga.
  const announced = new Set(placedEvents.map((row) => row.order_id));
  for (const order of orders) {
    if (!announced.has(order.id)) violations.push(`order ${order.id} has no OrderPlaced in the outbox`);
  }
  for (const row of reservations) {
    if (row.n > 1) {
      duplicated += row.n - 1;
      violations.push(`order ${row.order_id} has ${row.n} credit reservations`);
    }
  }
  const acknowledgedIds = new Set(acknowledged.map((placement) => placement.orderId));
  return {
    placed: placements.length,
    acknowledged: acknowledged.length,
    final: orders.filter((order) => FINAL_STATUSES.includes(order.status)).length,
    lost,
    duplicated,
    unacknowledgedOrders: orders.filter((order) => !acknowledgedIds.has(order.id)).length,
    violations,
  };
}

/** How many answers of each status the client got over all its attempts ("0" for network errors). */
export function answerTally(placements: Placement[]): Record<string, number> {
  const tally: Record<string, number> = {};
  for (const attempt of placements.flatMap((placement) => placement.attempts)) {
    tally[attempt.status] = (tally[attempt.status] ?? 0) + 1;
  }
  return tally;
}

/**
 * When placing worked again after `healedAt`: ms from it to the first attempt, begun after it,
 * that got a 2xx; null if none did.
 */
export function recoveryMs(placements: Placement[], healedAt: number): number | null {
  const after = placements
    .flatMap((placement) => placement.attempts)
    .filter((attempt) => attempt.at >= healedAt && attempt.status >= 200 && attempt.status < 300)
    .map((attempt) => attempt.at + attempt.ms);
  return after.length === 0 ? null : Math.max(0, Math.min(...after) - healedAt);
}
