import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ConcurrencyConflictError } from '@app/ddd';
import { TransactionRunner } from '@app/platform';
import { Currency, Order, OrderLine } from '../domain/index.js';
import { aPlacedOrder, confirmAsPaid, placedAt, snapshot } from './testing/order-fixtures.js';
import { openOrdersTestDatabase } from './testing/orders-test-database.js';
import { TypeormOrderRepository } from './typeorm-order.repository.js';

let dataSource: DataSource;
let drop: () => Promise<void>;
let transactions: TransactionRunner;
let orders: TypeormOrderRepository;

beforeAll(async () => {
  ({ dataSource, drop } = await openOrdersTestDatabase('orders_repo'));
  transactions = new TransactionRunner(dataSource);
  orders = new TypeormOrderRepository(transactions);
}, 60_000);

afterAll(() => drop(), 60_000);

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = (await dataSource.query(sql, params)) as { n: string }[];
  return Number(row!.n);
}

async function saved(order: Order): Promise<Order> {
  await orders.save(order);
  return order;
}

describe('TypeormOrderRepository', () => {
  it('saves a placed order with its lines, which findById loads back equal at version 1', async () => {
    const order = await saved(aPlacedOrder());

    expect(order.version).toBe(1);
    expect(order.isNew).toBe(false);
    expect(snapshot(await orders.findById(order.id))).toEqual({ ...snapshot(order), version: 1 });
    expect(
      await dataSource.query(
        'SELECT line_no, sku, quantity, unit_price_cents FROM order_lines WHERE order_id = $1 ORDER BY line_no',
        [order.id],
      ),
    ).toEqual([
      { line_no: 1, sku: 'BOOK-1', quantity: 3, unit_price_cents: '1999' },
      { line_no: 2, sku: 'PEN', quantity: 1, unit_price_cents: '1' },
    ]);
  });

  it('keeps 100 lines in their order and the largest total exact', async () => {
    const lines = Array.from({ length: 100 }, (_, i) =>
      OrderLine.create({ sku: `SKU-${i}`, quantity: 10_000, unitPriceCents: 100_000_000 }),
    );
    const order = Order.place({
      id: randomUUID(),
      userId: randomUUID(),
      lines,
      currency: Currency.create('JPY'),
      now: placedAt,
    });

    await orders.save(order);

    const loaded = (await orders.findById(order.id))!;
    expect(loaded.totalCents).toBe(100_000_000_000_000);
    expect(loaded.lines.map((line) => line.sku)).toEqual(lines.map((line) => line.sku));
  });

  it('writes only the order and its lines: the view and the outbox are other steps', async () => {
    const order = await saved(aPlacedOrder());

    expect(await count('SELECT count(*) AS n FROM orders WHERE id = $1', [order.id])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM order_views WHERE id = $1', [order.id])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE payload->>'orderId' = $1`, [order.id])).toBe(0);
  });

  it('keeps a saved order new, with its events, until the unit of work commits', async () => {
    const order = aPlacedOrder();

    await transactions.run(async () => {
      await orders.save(order);
      expect(order.isNew).toBe(true);
      expect(order.uncommittedEvents.map((event) => event.type)).toEqual(['OrderPlaced']);
    });

    expect(order.version).toBe(1);
    expect(order.uncommittedEvents).toEqual([]);
  });

  it('leaves nothing, and the order new with its events, when the unit of work rolls back', async () => {
    const order = aPlacedOrder();
    const failure = new Error('a later step failed');

    await expect(
      transactions.run(async () => {
        await orders.save(order);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(order.isNew).toBe(true);
    expect(order.uncommittedEvents).toHaveLength(1);
    expect(await orders.findById(order.id)).toBeNull();
    expect(await count('SELECT count(*) AS n FROM order_lines WHERE order_id = $1', [order.id])).toBe(0);
  });

  it('saves a status change, bumping the version', async () => {
    const placed = await saved(aPlacedOrder());
    const order = (await orders.findById(placed.id))!;
    const rejectedAt = new Date('2026-01-02T03:05:00.000Z');
    order.reject('INSUFFICIENT_CREDIT', rejectedAt);

    await orders.save(order);

    expect(order.version).toBe(2);
    expect(snapshot(await orders.findById(order.id))).toMatchObject({
      version: 2,
      status: 'REJECTED',
      rejectionReason: 'INSUFFICIENT_CREDIT',
      updatedAt: rejectedAt.toISOString(),
      lines: snapshot(placed)!.lines,
    });
  });

  it('rejects the second of two saves from the same version and keeps the first change', async () => {
    const placed = await saved(aPlacedOrder());
    const first = (await orders.findById(placed.id))!;
    const second = (await orders.findById(placed.id))!;
    confirmAsPaid(first, new Date());
    await orders.save(first);
    second.cancel(new Date());

    await expect(orders.save(second)).rejects.toBeInstanceOf(ConcurrencyConflictError);

    expect(second.version).toBe(1);
    expect(snapshot(await orders.findById(placed.id))).toMatchObject({ status: 'CONFIRMED', version: 2 });
  });

  it('finds PENDING orders placed before a time, oldest first, at most `limit`', async () => {
    // Long before the other cases' orders, so only these are older than the cutoff.
    const at = (minute: number) => new Date(Date.UTC(2001, 0, 1, 0, minute));
    const oldest = await saved(aPlacedOrder(randomUUID(), at(1)));
    const older = await saved(aPlacedOrder(randomUUID(), at(2)));
    const settled = await saved(aPlacedOrder(randomUUID(), at(3)));
    const old = await saved(aPlacedOrder(randomUUID(), at(4)));
    await saved(aPlacedOrder(randomUUID(), at(10)));
    const reloaded = (await orders.findById(settled.id))!;
    confirmAsPaid(reloaded, at(5));
    await orders.save(reloaded);

    expect(await orders.findPendingPlacedBefore(at(5), 10)).toEqual([oldest.id, older.id, old.id]);
    expect(await orders.findPendingPlacedBefore(at(5), 2)).toEqual([oldest.id, older.id]);
  });

  it('returns null for an unknown id', async () => {
    expect(await orders.findById(randomUUID())).toBeNull();
  });
});
