import { expect } from '@jest/globals';
import { OrdersEvents, PaymentsEvents, UsersEvents } from '@app/contracts';
import { BrokerProbe } from './broker-probe.js';
import { EVENT_CONSUMERS, eventTopologyOf, type EventConsumerQueue } from './event-topology-cleanup.js';
import { queryDatabase } from './postgres-test-kit.js';
import type { SystemUnderTest } from './system-under-test.js';

/*
 * The saga's invariants (ARCHITECTURE.md §5), checked on the three databases (users, orders,
 * payments with its provider's ledger) and the broker of a
 * SystemUnderTest once it is idle. Use: `await waitForIdle(system); await assertSagaInvariants(system);`
 * The broker probe lives in broker-probe.ts, the client helpers in saga-api.ts; both are
 * re-exported here for the suites that import them from this file.
 */

export { BrokerProbe } from './broker-probe.js';
export * from './saga-api.js';

const FINAL_STATUSES = ['CONFIRMED', 'REJECTED', 'CANCELLED'];

type Database = keyof SystemUnderTest['databases'];

/** Which services publish the events each consumer reads, and their routing keys. */
const CONSUMED: Record<EventConsumerQueue, { publisher: Database; routingKeys: string[] }[]> = {
  'users.events': [
    { publisher: 'orders', routingKeys: [OrdersEvents.orderPlaced.routingKey, OrdersEvents.orderCancelled.routingKey] },
  ],
  'orders.events': [
    {
      publisher: 'users',
      routingKeys: [UsersEvents.creditReserved.routingKey, UsersEvents.creditRejected.routingKey],
    },
    {
      publisher: 'payments',
      routingKeys: [
        PaymentsEvents.paymentCaptured.routingKey,
        PaymentsEvents.paymentDeclined.routingKey,
        PaymentsEvents.paymentRefunded.routingKey,
        PaymentsEvents.paymentVoided.routingKey,
      ],
    },
  ],
  'payments.events': [
    {
      publisher: 'orders',
      routingKeys: [OrdersEvents.paymentRequested.routingKey, OrdersEvents.orderCancelled.routingKey],
    },
  ],
};

const CONSUMER_DATABASE: Record<EventConsumerQueue, Database> = {
  'users.events': 'users',
  'orders.events': 'orders',
  'payments.events': 'payments',
};

/** The consumer queue each `deadLetters` option counts. */
const DEAD_LETTER_OPTION: Record<Database, EventConsumerQueue> = {
  users: 'users.events',
  orders: 'orders.events',
  payments: 'payments.events',
};

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Dead letters of each consumer: ready messages in `${prefix}<consumer>.dlq` (services shape; 0
 * when it does not exist; read through `probe` when the caller has one open), or rows in the
 * consumer's `dead_letters` table (monolith shape).
 */
export async function deadLetterCounts(
  system: SystemUnderTest,
  probe?: BrokerProbe,
): Promise<Record<EventConsumerQueue, number>> {
  if (system.shape === 'monolith') {
    const counts = {} as Record<EventConsumerQueue, number>;
    for (const consumer of EVENT_CONSUMERS) {
      const [row] = await queryDatabase<{ n: number }>(
        system.databases[CONSUMER_DATABASE[consumer]],
        'SELECT count(*)::int AS n FROM dead_letters WHERE consumer = $1',
        [consumer],
      );
      counts[consumer] = row!.n;
    }
    return counts;
  }
  const topology = eventTopologyOf(system);
  const broker = probe ?? (await BrokerProbe.open(system.brokerUrl));
  try {
    const counts = {} as Record<EventConsumerQueue, number>;
    for (const consumer of EVENT_CONSUMERS) counts[consumer] = (await broker.depth(topology[consumer].deadLetter)) ?? 0;
    return counts;
  } finally {
    if (!probe) await broker.close();
  }
}

/** What keeps the system from being idle now; empty when it is idle. `probe`: services shape only. */
async function openWork(system: SystemUnderTest, probe: BrokerProbe | null): Promise<string[]> {
  const open: string[] = [];
  const pending = await queryDatabase<{ id: string }>(
    system.databases.orders,
    "SELECT id FROM orders WHERE status = 'PENDING' ORDER BY created_at",
  );
  if (pending.length > 0) {
    open.push(`${pending.length} order(s) PENDING (${pending.slice(0, 5).map((row) => row.id)}...)`);
  }
  // Payments the processor still has to take to the provider: a capture (PENDING), a refund
  // (REFUND_PENDING) or the check that a voided payment's call charged nothing (a due VOIDED row).
  const due = await queryDatabase<{ status: string; n: number }>(
    system.databases.payments,
    `SELECT status, count(*)::int AS n FROM payments
      WHERE status IN ('PENDING', 'REFUND_PENDING') OR next_attempt_at IS NOT NULL GROUP BY status`,
  );
  for (const row of due) open.push(`${row.n} payment(s) ${row.status} with provider work left`);
  for (const [name, database] of Object.entries(system.databases)) {
    const [row] = await queryDatabase<{ n: number }>(
      database,
      'SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL',
    );
    if (row!.n > 0) open.push(`${row!.n} unpublished outbox row(s) in ${name}`);
  }
  // The RPC work queues too: a request left in one is a client still waiting (or given up on).
  const rpcQueues = ['users.rpc', 'orders.rpc', 'payments.rpc'].map((queue) => `${system.prefix}${queue}`);
  for (const queue of probe ? rpcQueues : []) {
    const depth = await probe!.depth(queue);
    if (depth !== null && depth > 0) open.push(`${depth} message(s) in ${queue}`);
  }
  const topology = eventTopologyOf(system);
  const deadLetters = await deadLetterCounts(system, probe ?? undefined);
  for (const consumer of EVENT_CONSUMERS) {
    const names = topology[consumer];
    // A missing queue is reported, not skipped: it would mean the names derived here are wrong.
    // (In the monolith shape the outbox is the only queue: checked above.)
    if (probe) {
      for (const queue of [names.queue, ...names.retries]) {
        const depth = await probe.depth(queue);
        if (depth === null) open.push(`queue ${queue} does not exist`);
        else if (depth > 0) open.push(`${depth} message(s) in ${queue}`);
      }
    }
    // A delivered but not yet acked message counts in no queue: compare what the publisher
    // published for this consumer with what the consumer's inbox recorded (or dead-lettered).
    const published: { id: string }[] = [];
    for (const { publisher, routingKeys } of CONSUMED[consumer]) {
      published.push(
        ...(await queryDatabase<{ id: string }>(
          system.databases[publisher],
          'SELECT id FROM outbox WHERE published_at IS NOT NULL AND routing_key = ANY($1::text[])',
          [routingKeys],
        )),
      );
    }
    const handled = new Set(
      (
        await queryDatabase<{ message_id: string }>(
          system.databases[CONSUMER_DATABASE[consumer]],
          'SELECT message_id FROM inbox WHERE consumer = $1',
          [consumer],
        )
      ).map((row) => row.message_id),
    );
    const unhandled = published.filter((row) => !handled.has(row.id)).length;
    const deadLettered = deadLetters[consumer];
    if (unhandled > deadLettered) {
      open.push(`${unhandled} event(s) for ${consumer} neither in its inbox nor dead-lettered (${deadLettered})`);
    }
  }
  return open;
}

/**
 * Polls until no order is PENDING, no payment has provider work left, every outbox row of the
 * three databases is published, the event
 * queues and their retry queues are empty and every published event was handled (or
 * dead-lettered) — three polls in a row, so an event between two hops is not missed. Throws
 * listing what is still open after `timeoutMs`.
 */
export async function waitForIdle(system: SystemUnderTest, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // The monolith shape has no broker to look at: its only queue is the outbox.
  const probe = system.shape !== 'monolith' ? await BrokerProbe.open(system.brokerUrl) : null;
  try {
    let quietPolls = 0;
    for (;;) {
      const open = await openWork(system, probe);
      quietPolls = open.length === 0 ? quietPolls + 1 : 0;
      if (quietPolls >= 3) return;
      if (Date.now() > deadline) {
        throw new Error(`the system is not idle after ${timeoutMs} ms:\n  ${open.join('\n  ') || '(flapping)'}`);
      }
      await sleep(100);
    }
  } finally {
    await probe?.close();
  }
}

export interface InvariantOptions {
  /**
   * Messages expected in each dead-letter queue (exactly that many), or 'any'. Default: none.
   */
  deadLetters?: Partial<Record<Database, number | 'any'>>;
}

interface OrderRow {
  id: string;
  user_id: string;
  status: string;
  total_cents: string;
  currency: string;
  rejection_reason: string | null;
  payment_status: string;
}

interface PaymentRow {
  order_id: string;
  user_id: string;
  status: string;
  amount_cents: string;
  captured_cents: string;
  refunded_cents: string;
}

/**
 * The provider's ledger, summed per order as the provider was told it (its reference), not per
 * our idempotency key: a second key for one order would be a second charge, and must show here.
 */
interface LedgerRow {
  order_reference: string;
  charges: number;
  charged_cents: string;
  refunds: number;
  refunded_cents: string;
}

interface ReservationRow {
  order_id: string;
  user_id: string;
  amount_cents: string;
  status: string;
}

interface UserRow {
  id: string;
  email: string;
  credit_limit_cents: string;
  credit_reserved_cents: string;
}

interface StatsRow {
  user_id: string;
  placed: number;
  confirmed: number;
  rejected: number;
  cancelled: number;
  confirmed_total_cents: string;
}

function sumBy<T>(rows: T[], value: (row: T) => number): number {
  return rows.reduce((sum, row) => sum + value(row), 0);
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(key(row), [...(groups.get(key(row)) ?? []), row]);
  return groups;
}

/**
 * Asserts (jest `expect`) the saga's invariants over both databases and the dead-letter queues.
 * Each invariant is collected as a list of violations, so a failure names every offender.
 * Call it once the system is idle (`waitForIdle`).
 */
export async function assertSagaInvariants(system: SystemUnderTest, options: InvariantOptions = {}): Promise<void> {
  const ordersDb = system.databases.orders;
  const usersDb = system.databases.users;
  const paymentsDb = system.databases.payments;
  const orders = await queryDatabase<OrderRow>(
    ordersDb,
    'SELECT id, user_id, status, total_cents, currency, rejection_reason, payment_status FROM orders',
  );
  const views = await queryDatabase<OrderRow>(
    ordersDb,
    'SELECT id, user_id, status, total_cents, currency, rejection_reason, payment_status FROM order_views',
  );
  const stats = await queryDatabase<StatsRow>(ordersDb, 'SELECT * FROM user_order_stats');
  const users = await queryDatabase<UserRow>(
    usersDb,
    'SELECT id, email, credit_limit_cents, credit_reserved_cents FROM users',
  );
  const reservations = await queryDatabase<ReservationRow>(
    usersDb,
    'SELECT order_id, user_id, amount_cents, status FROM credit_reservations',
  );
  const orderById = new Map(orders.map((order) => [order.id, order]));
  const reservationByOrder = new Map(reservations.map((row) => [row.order_id, row]));

  // 1. Every order is settled.
  const unsettled = orders
    .filter((order) => !FINAL_STATUSES.includes(order.status))
    .map((order) => `order ${order.id} is ${order.status}`);
  expect(unsettled).toEqual([]);

  // 2. A user's reserved credit = its CONFIRMED orders' totals = its RESERVED reservations, within the limit.
  const confirmedByUser = groupBy(
    orders.filter((order) => order.status === 'CONFIRMED'),
    (order) => order.user_id,
  );
  const reservedByUser = groupBy(
    reservations.filter((row) => row.status === 'RESERVED'),
    (row) => row.user_id,
  );
  const creditViolations: string[] = [];
  for (const user of users) {
    const reserved = Number(user.credit_reserved_cents);
    const confirmed = sumBy(confirmedByUser.get(user.id) ?? [], (order) => Number(order.total_cents));
    const reservedRows = sumBy(reservedByUser.get(user.id) ?? [], (row) => Number(row.amount_cents));
    if (reserved !== confirmed) {
      creditViolations.push(`user ${user.email}: reserved ${reserved} != CONFIRMED orders' total ${confirmed}`);
    }
    if (reserved !== reservedRows) {
      creditViolations.push(`user ${user.email}: reserved ${reserved} != RESERVED reservations' total ${reservedRows}`);
    }
    if (reserved > Number(user.credit_limit_cents) || reserved < 0) {
      creditViolations.push(`user ${user.email}: reserved ${reserved} outside 0..${user.credit_limit_cents}`);
    }
  }
  const userIds = new Set(users.map((user) => user.id));
  for (const [userId, confirmed] of confirmedByUser) {
    if (!userIds.has(userId)) creditViolations.push(`${confirmed.length} CONFIRMED order(s) of unknown user ${userId}`);
  }
  expect(creditViolations).toEqual([]);

  // 3. RESERVED reservations and CONFIRMED orders match one to one (same user, same amount).
  const reservationViolations: string[] = [];
  for (const row of reservations.filter((r) => r.status === 'RESERVED')) {
    const order = orderById.get(row.order_id);
    if (!order) reservationViolations.push(`RESERVED reservation ${row.order_id} has no order`);
    else if (order.status !== 'CONFIRMED') {
      reservationViolations.push(`RESERVED reservation ${row.order_id} belongs to a ${order.status} order`);
    } else if (order.user_id !== row.user_id || order.total_cents !== row.amount_cents) {
      reservationViolations.push(
        `reservation ${row.order_id} (${row.user_id}, ${row.amount_cents}) != order (${order.user_id}, ${order.total_cents})`,
      );
    }
  }
  for (const order of orders.filter((o) => o.status === 'CONFIRMED')) {
    const row = reservationByOrder.get(order.id);
    if (row?.status !== 'RESERVED') {
      reservationViolations.push(`CONFIRMED order ${order.id} has reservation ${row?.status ?? 'none'}`);
    }
  }
  expect(reservationViolations).toEqual([]);

  // 4. Nothing left unpublished.
  for (const database of [usersDb, ordersDb, paymentsDb]) {
    const unpublished = await queryDatabase<{ id: string; type: string; last_error: string | null }>(
      database,
      'SELECT id, type, last_error FROM outbox WHERE published_at IS NULL',
    );
    expect({ database, unpublished }).toEqual({ database, unpublished: [] });
  }

  // 5. The read model agrees with the orders, row for row.
  const viewById = new Map(views.map((view) => [view.id, view]));
  const viewViolations: string[] = [];
  for (const order of orders) {
    const view = viewById.get(order.id);
    if (!view) viewViolations.push(`order ${order.id} has no view`);
    else if (JSON.stringify(view) !== JSON.stringify(order)) {
      viewViolations.push(`view ${JSON.stringify(view)} != order ${JSON.stringify(order)}`);
    }
  }
  for (const view of views) if (!orderById.has(view.id)) viewViolations.push(`view ${view.id} has no order`);
  // ... and so do the per-user counts (user_order_stats: a view over order_views, written by no one).
  const ordersByUser = groupBy(orders, (order) => order.user_id);
  const statsByUser = new Map(stats.map((row) => [row.user_id, row]));
  for (const userId of new Set([...ordersByUser.keys(), ...statsByUser.keys()])) {
    const own = ordersByUser.get(userId) ?? [];
    const count = (status: string) => own.filter((order) => order.status === status).length;
    const expected = {
      placed: own.length,
      confirmed: count('CONFIRMED'),
      rejected: count('REJECTED'),
      cancelled: count('CANCELLED'),
      confirmed_total_cents: sumBy(
        own.filter((order) => order.status === 'CONFIRMED'),
        (order) => Number(order.total_cents),
      ),
    };
    const row = statsByUser.get(userId);
    const actual = row
      ? {
          placed: row.placed,
          confirmed: row.confirmed,
          rejected: row.rejected,
          cancelled: row.cancelled,
          confirmed_total_cents: Number(row.confirmed_total_cents),
        }
      : null;
    if (JSON.stringify(actual) !== JSON.stringify(expected)) {
      viewViolations.push(`user_order_stats of ${userId}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
    }
  }
  expect(viewViolations).toEqual([]);

  // 6. No message handled twice by one consumer, and no decision or placement published twice.
  for (const database of [usersDb, ordersDb, paymentsDb]) {
    const [inbox] = await queryDatabase<{ total: number; distinct: number }>(
      database,
      'SELECT count(*)::int AS total, count(DISTINCT (message_id, consumer))::int AS distinct FROM inbox',
    );
    expect({ database, total: inbox!.total }).toEqual({ database, total: inbox!.distinct });
  }
  const twice = [
    ...(await queryDatabase<{ order_id: string; n: number }>(
      usersDb,
      `SELECT payload->>'orderId' AS order_id, count(*)::int AS n FROM outbox
        WHERE type IN ('CreditReserved', 'CreditRejected') GROUP BY 1 HAVING count(*) > 1`,
    )),
    ...(await queryDatabase<{ order_id: string; type: string; n: number }>(
      ordersDb,
      `SELECT payload->>'orderId' AS order_id, type, count(*)::int AS n FROM outbox
        WHERE type IN ('OrderPlaced', 'OrderCancelled', 'PaymentRequested') GROUP BY 1, 2 HAVING count(*) > 1`,
    )),
    ...(await queryDatabase<{ order_id: string; type: string; n: number }>(
      paymentsDb,
      `SELECT payload->>'orderId' AS order_id, type, count(*)::int AS n FROM outbox
        WHERE type IN ('PaymentCaptured', 'PaymentDeclined', 'PaymentRefunded', 'PaymentVoided') GROUP BY 1, 2 HAVING count(*) > 1`,
    )),
  ];
  expect(twice).toEqual([]);

  // 7. The dead-letter queues hold what the caller expects (nothing, by default).
  const dlq = await deadLetterCounts(system);
  const databases = Object.keys(DEAD_LETTER_OPTION) as Database[];
  const expected = Object.fromEntries(databases.map((name) => [name, options.deadLetters?.[name] ?? 0]));
  expect(
    Object.fromEntries(
      databases.map((name) => [name, expected[name] === 'any' ? 'any' : dlq[DEAD_LETTER_OPTION[name]]]),
    ),
  ).toEqual(expected);

  // 8. Money: what the provider holds agrees with the orders and with payments' own rows.
  expect(await paymentViolations(system, orders)).toEqual([]);
}

/**
 * The payments invariants, as a list of violations: per order the provider's ledger nets
 * (captured − refunded) to the order's total if it is CONFIRMED and to 0 otherwise, with at most
 * one charge; every payment row records what the ledger holds for its order; the order's
 * paymentStatus agrees with its payment.
 */
async function paymentViolations(system: SystemUnderTest, orders: OrderRow[]): Promise<string[]> {
  const paymentsDb = system.databases.payments;
  const payments = await queryDatabase<PaymentRow>(
    paymentsDb,
    'SELECT order_id, user_id, status, amount_cents, captured_cents, refunded_cents FROM payments',
  );
  // The provider makes its ledger at its first call: a run that never reached payments has none.
  const [{ exists }] = (await queryDatabase<{ exists: boolean }>(
    paymentsDb,
    "SELECT to_regclass('payment_provider.ledger') IS NOT NULL AS exists",
  )) as [{ exists: boolean }];
  const ledger = !exists
    ? []
    : await queryDatabase<LedgerRow>(
        paymentsDb,
        `SELECT order_reference,
            count(*) FILTER (WHERE kind = 'charge')::int AS charges,
            coalesce(sum(amount_cents) FILTER (WHERE kind = 'charge'), 0)::bigint AS charged_cents,
            count(*) FILTER (WHERE kind = 'refund')::int AS refunds,
            coalesce(sum(amount_cents) FILTER (WHERE kind = 'refund'), 0)::bigint AS refunded_cents
       FROM payment_provider.ledger GROUP BY order_reference`,
      );
  const ledgerByOrder = new Map(ledger.map((row) => [row.order_reference, row]));
  const paymentByOrder = new Map(payments.map((row) => [row.order_id, row]));
  const orderIds = new Set(orders.map((order) => order.id));
  const violations: string[] = [];
  const none = { charges: 0, charged_cents: '0', refunds: 0, refunded_cents: '0' };

  for (const order of orders) {
    const held = ledgerByOrder.get(order.id) ?? none;
    const net = Number(held.charged_cents) - Number(held.refunded_cents);
    const owed = order.status === 'CONFIRMED' ? Number(order.total_cents) : 0;
    if (net !== owed) violations.push(`order ${order.id} (${order.status}): the provider holds ${net}, not ${owed}`);
    if (held.charges > 1) violations.push(`order ${order.id} charged ${held.charges} times`);
    const payment = paymentByOrder.get(order.id);
    if (order.status === 'CONFIRMED' && (payment?.status !== 'CAPTURED' || order.payment_status !== 'CAPTURED')) {
      violations.push(
        `CONFIRMED order ${order.id}: paymentStatus ${order.payment_status}, payment ${payment?.status ?? 'none'}`,
      );
    }
    if (payment?.status === 'REFUNDED' && order.payment_status !== 'REFUNDED') {
      violations.push(`order ${order.id}: payment REFUNDED, paymentStatus ${order.payment_status}`);
    }
    // A payment asked for and voided (not a tombstone) is shown VOIDED; a settled order never keeps one REQUESTED.
    if (payment?.status === 'VOIDED' && payment.amount_cents !== '0' && order.payment_status !== 'VOIDED') {
      violations.push(`order ${order.id}: payment VOIDED, paymentStatus ${order.payment_status}`);
    }
    if (order.payment_status === 'REQUESTED') {
      violations.push(
        `${order.status} order ${order.id}: its payment still REQUESTED (payment ${payment?.status ?? 'none'})`,
      );
    }
    if (
      order.payment_status === 'DECLINED' &&
      (payment?.status !== 'DECLINED' || order.rejection_reason !== 'PAYMENT_DECLINED')
    ) {
      violations.push(
        `order ${order.id}: paymentStatus DECLINED, payment ${payment?.status ?? 'none'}, ${order.status} ${order.rejection_reason}`,
      );
    }
  }
  for (const payment of payments) {
    // A cancellation for an order we never placed (forged, or its placement lost upstream) leaves
    // only a tombstone, charging nothing; any other payment must be of a real order.
    const tombstone = payment.status === 'VOIDED' && payment.amount_cents === '0';
    if (!orderIds.has(payment.order_id) && !tombstone) {
      violations.push(`payment ${payment.status} of unknown order ${payment.order_id}`);
    }
    const held = ledgerByOrder.get(payment.order_id) ?? none;
    if (payment.captured_cents !== held.charged_cents || payment.refunded_cents !== held.refunded_cents) {
      violations.push(
        `payment of order ${payment.order_id} (${payment.status}) records captured ${payment.captured_cents} refunded ` +
          `${payment.refunded_cents}; the ledger holds ${held.charged_cents} and ${held.refunded_cents}`,
      );
    }
  }
  for (const row of ledger) {
    if (!orderIds.has(row.order_reference))
      violations.push(`the provider holds ${row.charges} charge(s) for ${row.order_reference}, no order of ours`);
  }
  return violations;
}
