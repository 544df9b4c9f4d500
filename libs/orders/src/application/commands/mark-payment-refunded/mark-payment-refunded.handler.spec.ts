import { beforeEach, describe, expect, it } from '@jest/globals';
import { OrderNotFoundError, type OrderPaymentStatus, type OrderStatus } from '../../../domain/index.js';
import { inMemoryOrdersPorts, type InMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { aStoredOrder, anOrderId, placedAt } from '../../testing/order-fixtures.js';
import { MarkPaymentRefundedCommand } from './mark-payment-refunded.command.js';
import { MarkPaymentRefundedHandler } from './mark-payment-refunded.handler.js';

describe('MarkPaymentRefundedHandler', () => {
  let ports: InMemoryOrdersPorts;
  let handler: MarkPaymentRefundedHandler;

  beforeEach(() => {
    ports = inMemoryOrdersPorts();
    handler = new MarkPaymentRefundedHandler(ports.orders, ports.views, ports.unitOfWork);
  });

  function stored(status: OrderStatus, paymentStatus: OrderPaymentStatus) {
    const order = aStoredOrder(status, placedAt, paymentStatus);
    ports.orders.add(order);
    ports.views.add(order);
    return order;
  }

  it.each<[OrderStatus, OrderPaymentStatus]>([
    ['CANCELLED', 'CAPTURED'],
    ['CANCELLED', 'REQUESTED'],
    ['REJECTED', 'REQUESTED'],
  ])('shows the payment of a %s order (was %s) REFUNDED, its status unchanged', async (status, paymentStatus) => {
    const order = stored(status, paymentStatus);

    await handler.execute(new MarkPaymentRefundedCommand(order.id));

    expect(ports.orders.stored(order.id)).toMatchObject({ version: 3, state: { status, paymentStatus: 'REFUNDED' } });
    expect(ports.views.view(order.id)).toMatchObject({ status, paymentStatus: 'REFUNDED' });
    expect(ports.outbox.events).toEqual([]);
    expect(ports.outcomes.counted).toEqual([]);
  });

  it.each<[OrderStatus, OrderPaymentStatus]>([
    ['CANCELLED', 'REFUNDED'],
    ['CANCELLED', 'NOT_REQUESTED'],
    ['REJECTED', 'DECLINED'],
  ])('leaves a %s order with its payment %s as it is (a redelivered refund)', async (status, paymentStatus) => {
    const order = stored(status, paymentStatus);
    const before = ports.orders.stored(order.id);

    await handler.execute(new MarkPaymentRefundedCommand(order.id));

    expect(ports.orders.stored(order.id)).toBe(before);
    expect(ports.views.view(order.id)?.paymentStatus).toBe(paymentStatus);
  });

  it('refuses an unknown order with ORDER_NOT_FOUND', async () => {
    await expect(handler.execute(new MarkPaymentRefundedCommand(anOrderId()))).rejects.toBeInstanceOf(
      OrderNotFoundError,
    );
  });
});
