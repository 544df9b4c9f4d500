import { beforeEach, describe, expect, it } from '@jest/globals';
import { ConcurrencyConflictError } from '@app/ddd';
import {
  OrderCancelledEvent,
  OrderNotCancellableError,
  OrderNotFoundError,
  type OrderPaymentStatus,
  type OrderStatus,
} from '../../../domain/index.js';
import { inMemoryOrdersPorts, type InMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { aStoredOrder, admin, owner, placedAt, stranger } from '../../testing/order-fixtures.js';
import { CancelOrderCommand } from './cancel-order.command.js';
import { CancelOrderHandler } from './cancel-order.handler.js';

describe('CancelOrderHandler', () => {
  let ports: InMemoryOrdersPorts;
  let handler: CancelOrderHandler;

  beforeEach(() => {
    ports = inMemoryOrdersPorts();
    handler = new CancelOrderHandler(ports.orders, ports.views, ports.outbox, ports.outcomes, ports.unitOfWork);
  });

  function stored(status: OrderStatus = 'PENDING', paymentStatus?: OrderPaymentStatus) {
    const order = aStoredOrder(status, placedAt, paymentStatus);
    ports.orders.add(order);
    ports.views.add(order);
    return order;
  }

  it.each<['PENDING' | 'CONFIRMED']>([['PENDING'], ['CONFIRMED']])(
    'cancels a %s order: saves it, shows it, appends OrderCancelled and answers the order',
    async (status) => {
      const order = stored(status);

      const answer = await handler.execute(new CancelOrderCommand(owner, order.id));

      const saved = ports.orders.stored(order.id)!;
      expect(saved.state.status).toBe('CANCELLED');
      expect(answer).toMatchObject({ id: order.id, status: 'CANCELLED', totalCents: 5998 });
      expect(ports.views.view(order.id)).toEqual(answer);
      expect(ports.outbox.events).toEqual([
        new OrderCancelledEvent(order.id, saved.state.updatedAt, owner.id, 5998, status, 'CANCELLED_BY_USER'),
      ]);
      expect(ports.outcomes.counted).toEqual([{ orderId: order.id, outcome: 'cancelled', reason: '' }]);
    },
  );

  it('lets an admin cancel anyone’s order', async () => {
    const order = stored();
    expect((await handler.execute(new CancelOrderCommand(admin, order.id))).status).toBe('CANCELLED');
  });

  it('answers a cancelled order again without a second OrderCancelled', async () => {
    const order = stored();
    await handler.execute(new CancelOrderCommand(owner, order.id));

    const again = await handler.execute(new CancelOrderCommand(owner, order.id));

    expect(again.status).toBe('CANCELLED');
    expect(ports.outbox.events).toHaveLength(1);
    expect(ports.outcomes.counted).toHaveLength(1);
  });

  it('refuses a rejected order with ORDER_NOT_CANCELLABLE, changing nothing', async () => {
    const order = stored('REJECTED');
    const before = ports.orders.stored(order.id);

    await expect(handler.execute(new CancelOrderCommand(owner, order.id))).rejects.toBeInstanceOf(
      OrderNotCancellableError,
    );

    expect(ports.orders.stored(order.id)).toBe(before);
    expect(ports.outbox.events).toEqual([]);
  });

  it('answers ORDER_NOT_FOUND for another user’s order, changing nothing', async () => {
    const order = stored();

    await expect(handler.execute(new CancelOrderCommand(stranger, order.id))).rejects.toBeInstanceOf(
      OrderNotFoundError,
    );

    expect(ports.orders.stored(order.id)?.state.status).toBe('PENDING');
  });

  it('runs again when the saga confirmed the order between its load and its save', async () => {
    const order = stored('PENDING', 'REQUESTED');
    ports.orders.changeBeforeNextSaves(order.id, (current) => current.confirm(new Date()));

    const answer = await handler.execute(new CancelOrderCommand(owner, order.id));

    expect(answer.status).toBe('CANCELLED');
    expect(ports.orders.stored(order.id)).toMatchObject({ version: 3, state: { status: 'CANCELLED' } });
    expect(ports.outbox.events).toEqual([
      expect.objectContaining({ type: 'OrderCancelled', aggregateId: order.id, previousStatus: 'CONFIRMED' }),
    ]);
  });

  it('gives up with CONCURRENCY_CONFLICT after three attempts that all lost the race', async () => {
    const order = stored();
    ports.orders.changeBeforeNextSaves(order.id, () => undefined, 3);

    await expect(handler.execute(new CancelOrderCommand(owner, order.id))).rejects.toBeInstanceOf(
      ConcurrencyConflictError,
    );

    expect(ports.orders.stored(order.id)).toMatchObject({ version: 4, state: { status: 'PENDING' } });
    expect(ports.outbox.events).toEqual([]);
    expect(ports.outcomes.counted).toEqual([]);
  });
});
