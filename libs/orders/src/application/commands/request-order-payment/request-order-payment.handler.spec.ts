import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  OrderNotFoundError,
  PaymentRequestedEvent,
  type OrderPaymentStatus,
  type OrderStatus,
} from '../../../domain/index.js';
import { inMemoryOrdersPorts, type InMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { aStoredOrder, anOrderId, owner, placedAt } from '../../testing/order-fixtures.js';
import { RequestOrderPaymentCommand } from './request-order-payment.command.js';
import { RequestOrderPaymentHandler } from './request-order-payment.handler.js';

describe('RequestOrderPaymentHandler', () => {
  let ports: InMemoryOrdersPorts;
  let handler: RequestOrderPaymentHandler;

  beforeEach(() => {
    ports = inMemoryOrdersPorts();
    handler = new RequestOrderPaymentHandler(ports.orders, ports.views, ports.outbox, ports.unitOfWork);
  });

  function stored(status: OrderStatus = 'PENDING', paymentStatus?: OrderPaymentStatus) {
    const order = aStoredOrder(status, placedAt, paymentStatus);
    ports.orders.add(order);
    ports.views.add(order);
    return order;
  }

  it('asks for the payment of a PENDING order: saves and shows it REQUESTED, appends PaymentRequested', async () => {
    const order = stored();

    await handler.execute(new RequestOrderPaymentCommand(order.id));

    const saved = ports.orders.stored(order.id)!;
    expect(saved).toMatchObject({ version: 2, state: { status: 'PENDING', paymentStatus: 'REQUESTED' } });
    expect(ports.views.view(order.id)).toMatchObject({ status: 'PENDING', paymentStatus: 'REQUESTED' });
    expect(ports.outbox.events).toEqual([
      new PaymentRequestedEvent(order.id, saved.state.updatedAt, owner.id, 5998, 'EUR'),
    ]);
    expect(ports.outcomes.counted).toEqual([]);
  });

  it('asks only once when the reservation is delivered twice', async () => {
    const order = stored();

    await handler.execute(new RequestOrderPaymentCommand(order.id));
    await handler.execute(new RequestOrderPaymentCommand(order.id));

    expect(ports.orders.stored(order.id)?.version).toBe(2);
    expect(ports.outbox.events.map((event) => event.type)).toEqual(['PaymentRequested']);
  });

  it.each<[OrderStatus, OrderPaymentStatus]>([
    ['REJECTED', 'NOT_REQUESTED'],
    ['CANCELLED', 'NOT_REQUESTED'],
    ['CONFIRMED', 'CAPTURED'],
  ])(
    'asks for nothing for a %s order (a reservation after the timeout or the cancel)',
    async (status, paymentStatus) => {
      const order = stored(status, paymentStatus);
      const before = ports.orders.stored(order.id);

      await handler.execute(new RequestOrderPaymentCommand(order.id));

      expect(ports.orders.stored(order.id)).toBe(before);
      expect(ports.views.view(order.id)?.paymentStatus).toBe(paymentStatus);
      expect(ports.outbox.events).toEqual([]);
    },
  );

  it('refuses an unknown order with ORDER_NOT_FOUND', async () => {
    await expect(handler.execute(new RequestOrderPaymentCommand(anOrderId()))).rejects.toBeInstanceOf(
      OrderNotFoundError,
    );
    expect(ports.outbox.events).toEqual([]);
  });

  it('leaves the order NOT_REQUESTED when its outbox step fails (the request and its event are one commit)', async () => {
    const order = stored();
    const failure = new Error('outbox unavailable');
    ports.outbox.failNextAppend = failure;

    await expect(handler.execute(new RequestOrderPaymentCommand(order.id))).rejects.toBe(failure);

    expect(ports.orders.stored(order.id)).toMatchObject({ version: 1, state: { paymentStatus: 'NOT_REQUESTED' } });
    expect(ports.views.view(order.id)?.paymentStatus).toBe('NOT_REQUESTED');
  });
});
