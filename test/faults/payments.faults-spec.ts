import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect } from 'amqplib';
import { OrdersEvents, PaymentsEvents } from '@app/contracts';
import { http } from '../support/http-client.js';
import { FaultHarness } from '../support/faults/fault-harness.js';
import { runScenario, settle, sleep } from '../support/faults/fault-scenario.js';
import { startPatiently } from '../support/faults/replica-kills.js';
import { queryDatabase } from '../support/postgres-test-kit.js';
import { waitForIdle } from '../support/saga-invariants.js';
import type { SystemUnderTest } from '../support/system-under-test.js';

/*
 * The payment step under faults (npm run test:faults): payments killed between the provider's
 * answer and its own commit, a provider failing transiently under load, and payment events
 * delivered again and out of order. After each, the saga's invariants hold, the provider's
 * ledger included: per order at most one charge, captured − refunded = the total if CONFIRMED
 * else 0, and every payment row agrees with the ledger.
 */

async function count(database: string, sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await queryDatabase<{ n: number }>(database, sql, params);
  return row!.n;
}

interface OutboxRow {
  id: string;
  type: string;
  routing_key: string;
  payload: Record<string, unknown>;
  headers: { version?: number; correlationId?: string; causationId?: string | null };
  occurred_at: Date;
}

/** Published events of these types, from one service's outbox. */
function publishedEvents(database: string, types: string[]): Promise<OutboxRow[]> {
  return queryDatabase<OutboxRow>(
    database,
    `SELECT id, type, routing_key, payload, headers, occurred_at FROM outbox
      WHERE published_at IS NOT NULL AND type = ANY($1::text[])`,
    [types],
  );
}

/** Fisher–Yates, so the copies arrive in an order no relay would produce. */
function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Publishes the events as the relay does (same envelope and properties), straight to the broker. */
async function publishCopies(system: SystemUnderTest, copies: { row: OutboxRow; id: string }[]): Promise<void> {
  const connection = await connect(system.brokerUrl);
  try {
    const channel = await connection.createConfirmChannel();
    for (const { row, id } of copies) {
      const event = {
        id,
        type: row.type,
        version: row.headers.version ?? 1,
        occurredAt: new Date(row.occurred_at).toISOString(),
        correlationId: row.headers.correlationId ?? `copy-${id}`,
        causationId: row.headers.causationId ?? null,
        payload: row.payload,
      };
      channel.publish(`${system.prefix}events`, row.routing_key, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        messageId: id,
        type: row.type,
        contentType: 'application/json',
      });
    }
    await channel.waitForConfirms();
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}

describe('fault scenarios: payments killed between the provider and its commit (provider latency 300 ms)', () => {
  const harness = new FaultHarness({ settings: { PAYMENT_PROVIDER_LATENCY_MS: '300' } });
  const system = () => harness.system;

  beforeAll(async () => {
    await harness.start();
  }, 180_000);

  afterAll(() => harness.stop(), 120_000);

  it('o. payments SIGKILLed 5 times with a charge made and not yet recorded: one charge each, all confirmed', async () => {
    const KILLS = 5;
    const caught: string[] = [];
    const { row } = await runScenario(harness, {
      name: 'o-payments-sigkill-after-charge',
      // 10/s for 20 s: a payment in flight at almost any moment
      load: { orders: 200, concurrency: 8, ratePerSecond: 10 },
      fault: async ({ loadDone, notes }) => {
        const payments = harness.of('payments')[0]!.app;
        const database = system().databases.payments;
        let idleSince = Date.now();
        while (caught.length < KILLS) {
          // A charge the provider holds for a payment still PENDING: the answer is on its way back,
          // or written down by nobody yet. Killed now, payments must ask again and be told the same.
          // (The provider makes its ledger at its first call.)
          const [ledger] = await queryDatabase<{ exists: boolean }>(
            database,
            "SELECT to_regclass('payment_provider.ledger') IS NOT NULL AS exists",
          );
          const [inFlight] = !ledger!.exists
            ? []
            : await queryDatabase<{ order_id: string }>(
                database,
                `SELECT p.order_id FROM payments p
               JOIN payment_provider.ledger l ON l.order_reference = p.order_id::text AND l.kind = 'charge'
              WHERE p.status = 'PENDING' AND p.order_id::text <> ALL($1::text[]) LIMIT 1`,
                [caught],
              );
          if (inFlight) {
            await payments.stop('SIGKILL');
            caught.push(inFlight.order_id);
            await sleep(200);
            await startPatiently(payments, notes, 'o-payments-sigkill-after-charge');
            idleSince = Date.now();
          } else if (loadDone() && Date.now() - idleSince > 10_000) {
            break;
          }
          await sleep(5);
        }
        notes.kills = caught.length;
      },
    });
    const ledger = await queryDatabase<{ order_reference: string; charges: number }>(
      system().databases.payments,
      `SELECT order_reference, count(*)::int AS charges FROM payment_provider.ledger
        WHERE kind = 'charge' AND order_reference = ANY($1::text[]) GROUP BY 1`,
      [caught],
    );
    const statuses = await queryDatabase<{ status: string; n: number }>(
      system().databases.orders,
      'SELECT status, count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[]) GROUP BY 1',
      [caught],
    );
    row.notes.caughtOrders = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
    row.notes.chargesOfCaught = ledger.reduce((sum, entry) => sum + entry.charges, 0);
    await settle(row, () => {
      expect(row.notes.kills).toBe(KILLS);
      expect(ledger.map((entry) => entry.charges)).toEqual(caught.map(() => 1));
      expect(row.notes.caughtOrders).toEqual({ CONFIRMED: KILLS });
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
    });
  }, 300_000);
});

describe('fault scenarios: a provider failing 30 % of its calls', () => {
  const harness = new FaultHarness({ settings: { PAYMENT_PROVIDER_FAILURE_RATE: '0.3' } });
  const system = () => harness.system;

  beforeAll(async () => {
    await harness.start();
  }, 180_000);

  afterAll(() => harness.stop(), 120_000);

  it('p. 300 orders against a provider failing 30 % of its calls: all confirmed, one charge each', async () => {
    const { row } = await runScenario(harness, {
      name: 'p-provider-transient-failures',
      load: { orders: 300, concurrency: 16 },
    });
    const database = system().databases.payments;
    row.notes.retriedPayments = await count(database, 'SELECT count(*)::int AS n FROM payments WHERE attempts > 1');
    row.notes.charges = await count(
      database,
      "SELECT count(*)::int AS n FROM payment_provider.ledger WHERE kind = 'charge'",
    );
    const outcomes = await queryDatabase<{ status: string; n: number }>(
      system().databases.orders,
      'SELECT status, count(*)::int AS n FROM orders GROUP BY 1',
    );
    row.notes.outcomes = Object.fromEntries(outcomes.map((o) => [o.status, o.n]));
    await settle(row, () => {
      expect(row.answers['201']).toBe(300);
      expect(row.notes.outcomes).toEqual({ CONFIRMED: 300 });
      expect(row.notes.charges).toBe(300);
      // 30 % of the first calls fail: some payments needed more than one
      expect(row.notes.retriedPayments as number).toBeGreaterThan(0);
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
    });
  }, 300_000);

  it('q. payment events delivered again, with new ids and shuffled: no second charge, no state moved back', async () => {
    let orderIds: string[] = [];
    const { row } = await runScenario(harness, {
      name: 'q-payment-events-duplicated-shuffled',
      load: { orders: 90, concurrency: 16 },
      fault: async ({ loadDone, driver, notes }) => {
        while (!loadDone()) await sleep(100);
        await waitForIdle(system(), 120_000);
        // A third of the orders cancelled: refunds, OrderCancelled and PaymentRefunded to replay too.
        orderIds = driver.placements.flatMap((p) => (p.orderId ? [p.orderId] : []));
        const toCancel = driver.placements.filter((p, i) => p.orderId !== null && i % 3 === 0);
        for (const placement of toCancel) {
          await http('POST', `${system().api}/orders/${placement.orderId}/cancel`, { token: placement.user.token });
        }
        await waitForIdle(system(), 120_000);
        const events = [
          ...(await publishedEvents(system().databases.orders, ['PaymentRequested', 'OrderCancelled'])),
          ...(await publishedEvents(system().databases.payments, ['PaymentCaptured', 'PaymentRefunded'])),
        ];
        // Each event twice more: once as the relay re-sends it (same id: the inbox absorbs it) and
        // once as a new message (its own id: the handler itself must see it changes nothing).
        const copies = shuffled(
          events.flatMap((event) => [
            { row: event, id: event.id },
            { row: event, id: randomUUID() },
          ]),
        );
        await publishCopies(system(), copies);
        notes.cancelled = toCancel.length;
        notes.copiesPublished = copies.length;
        notes.byType = Object.fromEntries(
          [
            OrdersEvents.paymentRequested,
            OrdersEvents.orderCancelled,
            PaymentsEvents.paymentCaptured,
            PaymentsEvents.paymentRefunded,
          ].map((contract) => [
            contract.routingKey,
            events.filter((e) => e.routing_key === contract.routingKey).length,
          ]),
        );
        // The copies with new ids are in no outbox, so idle alone would not wait for them: wait
        // until every consumer they reach has them in its inbox (OrderCancelled reaches users too).
        const fresh = copies.filter((copy) => copy.id !== copy.row.id);
        const expectedHandled = fresh.reduce(
          (sum, copy) => sum + (copy.row.routing_key === OrdersEvents.orderCancelled.routingKey ? 2 : 1),
          0,
        );
        const freshIds = fresh.map((copy) => copy.id);
        const deadline = Date.now() + 60_000;
        let handled = 0;
        while (Date.now() < deadline) {
          handled = 0;
          for (const database of Object.values(system().databases)) {
            handled += await count(
              database,
              'SELECT count(*)::int AS n FROM inbox WHERE message_id::text = ANY($1::text[])',
              [freshIds],
            );
          }
          if (handled >= expectedHandled) break;
          await sleep(250);
        }
        notes.freshHandled = `${handled}/${expectedHandled}`;
      },
    });
    const database = system().databases.payments;
    // This scenario's orders only: the harness keeps p's.
    const ledgerCount = (kind: string) =>
      count(
        database,
        'SELECT count(*)::int AS n FROM payment_provider.ledger WHERE kind = $1 AND order_reference = ANY($2::text[])',
        [kind, orderIds],
      );
    row.notes.charges = await ledgerCount('charge');
    row.notes.refunds = await ledgerCount('refund');
    await settle(row, () => {
      const [handled, expected] = String(row.notes.freshHandled).split('/');
      expect(handled).toBe(expected);
      expect(row.notes.charges).toBe(90);
      expect(row.notes.refunds).toBe(row.notes.cancelled);
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
    });
  }, 300_000);
});
