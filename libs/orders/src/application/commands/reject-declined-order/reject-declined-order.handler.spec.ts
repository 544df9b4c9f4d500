import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  OrderCancelledEvent,
  OrderNotFoundError,
  OrderRejectedEvent,
  type OrderPaymentStatus,
  type OrderStatus,
} from '../../../domain/index.js';
import { inMemoryOrdersPorts, type InMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { aStoredOrder, anOrderId, owner, placedAt } from '../../testing/order-fixtures.js';
import { RejectDeclinedOrderCommand } from './reject-declined-order.command.js';
import { RejectDeclinedOrderHandler } from './reject-declined-order.handler.js';

describe('RejectDeclinedOrderHandler', () => {
  let ports: InMemoryOrdersPorts;
  let handler: RejectDeclinedOrderHandler;

  beforeEach(() => {
    ports = inMemoryOrdersPorts();
    handler = new RejectDeclinedOrderHandler(ports.orders, ports.views, ports.outbox, ports.outcomes, ports.unitOfWork);
  });

  function stored(status: OrderStatus = 'PENDING', paymentStatus: OrderPaymentStatus = 'REQUESTED') {
    const order = aStoredOrder(status, placedAt, paymentStatus);
    ports.orders.add(order);
    ports.views.add(order);
    return order;
  }

  it('rejects the order as PAYMENT_DECLINED, shows it, emits OrderCancelled to release the credit, counts it', async () => {
    const order = stored();

    await handler.execute(new RejectDeclinedOrderCommand(order.id));

    const saved = ports.orders.stored(order.id)!;
    const at = saved.state.updatedAt;
    expect(saved).toMatchObject({
      version: 2,
      state: { status: 'REJECTED', rejectionReason: 'PAYMENT_DECLINED', paymentStatus: 'DECLINED' },
    });
    expect(ports.views.view(order.id)).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'PAYMENT_DECLINED',
      paymentStatus: 'DECLINED',
    });
    expect(ports.outbox.events).toEqual([
      new OrderRejectedEvent(order.id, at, owner.id, 'PAYMENT_DECLINED'),
      new OrderCancelledEvent(order.id, at, owner.id, 5998, 'PENDING', 'PAYMENT_DECLINED'),
    ]);
    expect(ports.outcomes.counted).toEqual([{ orderId: order.id, outcome: 'rejected', reason: 'PAYMENT_DECLINED' }]);
  });

  it('changes, emits and counts nothing for a decline delivered twice', async () => {
    const order = stored();

    await handler.execute(new RejectDeclinedOrderCommand(order.id));
    await handler.execute(new RejectDeclinedOrderCommand(order.id));

    expect(ports.orders.stored(order.id)?.version).toBe(2);
    expect(ports.outbox.events.map((event) => event.type)).toEqual(['OrderRejected', 'OrderCancelled']);
    expect(ports.outcomes.counted).toHaveLength(1);
  });

  it.each<[OrderStatus, OrderPaymentStatus]>([
    ['REJECTED', 'REQUESTED'],
    ['CANCELLED', 'REQUESTED'],
    ['CONFIRMED', 'CAPTURED'],
  ])('leaves a %s order (payment %s) as it is: a late decline', async (status, paymentStatus) => {
    const order = stored(status, paymentStatus);
    const before = ports.orders.stored(order.id);

    await handler.execute(new RejectDeclinedOrderCommand(order.id));

    expect(ports.orders.stored(order.id)).toBe(before);
    expect(ports.outbox.events).toEqual([]);
    expect(ports.outcomes.counted).toEqual([]);
  });

  it('refuses an unknown order with ORDER_NOT_FOUND', async () => {
    await expect(handler.execute(new RejectDeclinedOrderCommand(anOrderId()))).rejects.toBeInstanceOf(
      OrderNotFoundError,
    );
  });

  it('counts nothing and leaves the order PENDING when its outbox step fails', async () => {
    const order = stored();
    const failure = new Error('outbox unavailable');
    ports.outbox.failNextAppend = failure;

    await expect(handler.execute(new RejectDeclinedOrderCommand(order.id))).rejects.toBe(failure);

    expect(ports.orders.stored(order.id)).toMatchObject({ version: 1, state: { status: 'PENDING' } });
    expect(ports.views.view(order.id)?.status).toBe('PENDING');
    expect(ports.outcomes.counted).toEqual([]);
  });
});
