import { beforeEach, describe, expect, it } from '@jest/globals';
import { OrderNotFoundError, type OrderPaymentStatus, type OrderStatus } from '../../../domain/index.js';
import { inMemoryOrdersPorts, type InMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { aStoredOrder, anOrderId, placedAt } from '../../testing/order-fixtures.js';
import { MarkPaymentVoidedCommand } from './mark-payment-voided.command.js';
import { MarkPaymentVoidedHandler } from './mark-payment-voided.handler.js';

describe('MarkPaymentVoidedHandler', () => {
  let ports: InMemoryOrdersPorts;
  let handler: MarkPaymentVoidedHandler;

  beforeEach(() => {
    ports = inMemoryOrdersPorts();
    handler = new MarkPaymentVoidedHandler(ports.sagaSteps);
  });

  function stored(status: OrderStatus, paymentStatus: OrderPaymentStatus) {
    const order = aStoredOrder(status, placedAt, paymentStatus);
    ports.orders.add(order);
    ports.views.add(order);
    return order;
  }

  it.each<OrderStatus>(['CANCELLED', 'REJECTED'])(
    'shows the REQUESTED payment of a %s order VOIDED, its status unchanged, publishing nothing',
    async (status) => {
      const order = stored(status, 'REQUESTED');

      await handler.execute(new MarkPaymentVoidedCommand(order.id));

      expect(ports.orders.stored(order.id)).toMatchObject({ version: 3, state: { status, paymentStatus: 'VOIDED' } });
      expect(ports.views.view(order.id)).toMatchObject({ status, paymentStatus: 'VOIDED' });
      expect(ports.outbox.events).toEqual([]);
      expect(ports.outcomes.counted).toEqual([]);
    },
  );

  it.each<[OrderStatus, OrderPaymentStatus]>([
    ['CANCELLED', 'VOIDED'],
    ['CANCELLED', 'NOT_REQUESTED'],
    ['CANCELLED', 'REFUNDED'],
    ['CONFIRMED', 'CAPTURED'],
    ['REJECTED', 'DECLINED'],
  ])('leaves a %s order with its payment %s as it is (a redelivered or stray void)', async (status, paymentStatus) => {
    const order = stored(status, paymentStatus);
    const before = ports.orders.stored(order.id);

    await handler.execute(new MarkPaymentVoidedCommand(order.id));

    expect(ports.orders.stored(order.id)).toBe(before);
    expect(ports.views.view(order.id)?.paymentStatus).toBe(paymentStatus);
  });

  it('refuses an unknown order with ORDER_NOT_FOUND', async () => {
    await expect(handler.execute(new MarkPaymentVoidedCommand(anOrderId()))).rejects.toBeInstanceOf(OrderNotFoundError);
  });
});
