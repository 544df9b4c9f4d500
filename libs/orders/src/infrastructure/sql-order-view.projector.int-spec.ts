import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { OrdersRpc } from '@app/contracts';
import { TransactionRunner } from '@app/platform';
import { toOrderResponse } from '../application/order-response.mapper.js';
import type { Order } from '../domain/index.js';
import { SqlOrderViewProjector } from './sql-order-view.projector.js';
import { SqlOrderViews } from './sql-order-views.js';
import { aPlacedOrder, confirmAsPaid } from './testing/order-fixtures.js';
import { openOrdersTestDatabase } from './testing/orders-test-database.js';

let dataSource: DataSource;
let drop: () => Promise<void>;
let projector: SqlOrderViewProjector;
let views: SqlOrderViews;

beforeAll(async () => {
  ({ dataSource, drop } = await openOrdersTestDatabase('orders_views'));
  projector = new SqlOrderViewProjector(new TransactionRunner(dataSource));
  views = new SqlOrderViews(dataSource);
}, 60_000);

afterAll(() => drop(), 60_000);

/** Projects a new order, then marks it saved as the repository would after the commit. */
async function projected(order: Order): Promise<Order> {
  await projector.project(order);
  order.markPersisted(order.version + 1);
  return order;
}

async function changed(order: Order, change: (order: Order) => void): Promise<Order> {
  change(order);
  await projector.project(order);
  order.markPersisted(order.version + 1);
  return order;
}

describe('SqlOrderViewProjector and SqlOrderViews', () => {
  it('shows a placed order exactly as the API answers it', async () => {
    const order = await projected(aPlacedOrder());

    expect(await views.findById(order.id)).toEqual(toOrderResponse(order));
  });

  it("shows a saved order's new status, reason and time, keeping what it was placed with", async () => {
    const order = await projected(aPlacedOrder());
    const rejectedAt = new Date('2026-01-02T03:06:00.000Z');

    await changed(order, (o) => o.expireAfterTimeout(rejectedAt));

    expect(await views.findById(order.id)).toEqual({
      ...toOrderResponse(order),
      status: 'REJECTED',
      rejectionReason: 'SAGA_TIMEOUT',
      updatedAt: rejectedAt.toISOString(),
    });
  });

  it('refuses to show a change of an order that has no view (a bug, not a case to paper over)', async () => {
    const order = aPlacedOrder();
    order.markPersisted(1);
    confirmAsPaid(order, new Date());

    await expect(projector.project(order)).rejects.toThrow(`order_views has no row for order ${order.id}`);
  });

  it("lists a user's orders newest first, page by page, and by status", async () => {
    const userId = randomUUID();
    const at = (minute: number) => new Date(Date.UTC(2026, 1, 1, 0, minute));
    const placed = [];
    for (let minute = 1; minute <= 5; minute += 1) placed.push(await projected(aPlacedOrder(userId, at(minute))));
    await projected(aPlacedOrder(randomUUID(), at(9))); // someone else's
    await changed(placed[1]!, (o) => confirmAsPaid(o, at(10)));
    await changed(placed[3]!, (o) => confirmAsPaid(o, at(11)));

    const first = await views.listForUser(userId, undefined, 2);
    const second = await views.listForUser(userId, undefined, 2, first.nextCursor!);
    const third = await views.listForUser(userId, undefined, 2, second.nextCursor!);
    const confirmed = await views.listForUser(userId, 'CONFIRMED', 10);

    const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);
    expect([ids(first), ids(second), ids(third)]).toEqual([
      [placed[4]!.id, placed[3]!.id],
      [placed[2]!.id, placed[1]!.id],
      [placed[0]!.id],
    ]);
    expect(third.nextCursor).toBeNull();
    expect(ids(confirmed)).toEqual([placed[3]!.id, placed[1]!.id]);
    // What the RPC answers is exactly what its contract describes.
    for (const page of [first, second, third, confirmed]) expect(OrdersRpc.list.response.parse(page)).toEqual(page);
  });

  it('counts each user’s orders by status in user_order_stats, a view over order_views', async () => {
    const userId = randomUUID();
    const [a, b, c, d] = [aPlacedOrder(userId), aPlacedOrder(userId), aPlacedOrder(userId), aPlacedOrder(userId)];
    for (const order of [a, b, c, d]) await projected(order!);
    await changed(a!, (o) => confirmAsPaid(o, new Date()));
    await changed(b!, (o) => confirmAsPaid(o, new Date()));
    await changed(c!, (o) => o.reject('INSUFFICIENT_CREDIT', new Date()));
    await changed(b!, (o) => o.cancel(new Date()));
    await projected(aPlacedOrder(randomUUID()));

    expect(await dataSource.query('SELECT * FROM user_order_stats WHERE user_id = $1', [userId])).toEqual([
      { user_id: userId, placed: 4, confirmed: 1, rejected: 1, cancelled: 1, confirmed_total_cents: '5998' },
    ]);
    const [{ relkind }] = (await dataSource.query(
      `SELECT relkind FROM pg_class WHERE relname = 'user_order_stats'`,
    )) as { relkind: string }[];
    expect(relkind).toBe('v');
  });

  it('returns null for an unknown order', async () => {
    expect(await views.findById(randomUUID())).toBeNull();
  });
});
