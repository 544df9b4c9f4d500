import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { OutboxSignal, OutboxWriter } from '@app/messaging';
import { TransactionRunner, runInMessageContext } from '@app/platform';
import type { Order } from '../domain/index.js';
import { SqlOrdersOutbox } from './sql-orders-outbox.js';
import { aPlacedOrder, placedAt } from './testing/order-fixtures.js';
import { openOrdersTestDatabase } from './testing/orders-test-database.js';

let dataSource: DataSource;
let drop: () => Promise<void>;
let transactions: TransactionRunner;
let outbox: SqlOrdersOutbox;

beforeAll(async () => {
  ({ dataSource, drop } = await openOrdersTestDatabase('orders_outbox'));
  transactions = new TransactionRunner(dataSource);
  outbox = new SqlOrdersOutbox(new OutboxWriter(transactions, new OutboxSignal()));
}, 60_000);

afterAll(() => drop(), 60_000);

function outboxOf(order: Order): Promise<unknown[]> {
  return dataSource.query(
    `SELECT type, routing_key, payload, headers, occurred_at, published_at FROM outbox
      WHERE payload->>'orderId' = $1 ORDER BY occurred_at, type`,
    [order.id],
  );
}

function appended(order: Order): Promise<void> {
  return transactions.run(() => outbox.append(order.uncommittedEvents));
}

describe('SqlOrdersOutbox', () => {
  it('writes a placement as orders.order-placed.v1, stamped with the message context', async () => {
    const order = aPlacedOrder();

    await runInMessageContext({ correlationId: 'corr-1', causationId: null }, () => appended(order));

    expect(await outboxOf(order)).toEqual([
      {
        type: 'OrderPlaced',
        routing_key: 'orders.order-placed.v1',
        payload: { orderId: order.id, userId: order.userId, totalCents: 5998, currency: 'EUR' },
        headers: { version: 1, correlationId: 'corr-1', causationId: null },
        occurred_at: placedAt,
        published_at: null,
      },
    ]);
  });

  it('writes a saga timeout as one orders.order-cancelled.v1 (its OrderRejected stays inside)', async () => {
    const order = aPlacedOrder();
    order.markPersisted(1);
    const expiredAt = new Date('2026-01-02T03:06:00.000Z');
    order.expireAfterTimeout(expiredAt);

    await appended(order);

    expect(await outboxOf(order)).toEqual([
      {
        type: 'OrderCancelled',
        routing_key: 'orders.order-cancelled.v1',
        payload: { orderId: order.id, userId: order.userId, reason: 'SAGA_TIMEOUT' },
        headers: { version: 1, correlationId: null, causationId: null },
        occurred_at: expiredAt,
        published_at: null,
      },
    ]);
  });

  it('writes nothing for a confirmation, which no other context listens to', async () => {
    const order = aPlacedOrder();
    order.markPersisted(1);
    order.confirm(new Date());

    await appended(order);

    expect(await outboxOf(order)).toEqual([]);
  });
});
