import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  OrderConfirmedEvent,
  OrderNotFoundError,
  type OrderPaymentStatus,
  type OrderStatus,
} from '../../../domain/index.js';
import { inMemoryOrdersPorts, type InMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { aStoredOrder, anOrderId, owner, placedAt } from '../../testing/order-fixtures.js';
import { ConfirmOrderCommand } from './confirm-order.command.js';
import { ConfirmOrderHandler } from './confirm-order.handler.js';

describe('ConfirmOrderHandler', () => {
  let ports: InMemoryOrdersPorts;
  let handler: ConfirmOrderHandler;

  beforeEach(() => {
    ports = inMemoryOrdersPorts();
    handler = new ConfirmOrderHandler(ports.orders, ports.views, ports.outbox, ports.outcomes, ports.unitOfWork);
  });

  /** By default an order whose payment was asked for: what a capture answers. */
  function stored(status: OrderStatus = 'PENDING', paymentStatus: OrderPaymentStatus = 'REQUESTED') {
    const order = aStoredOrder(status, placedAt, paymentStatus);
    ports.orders.add(order);
    ports.views.add(order);
    return order;
  }

  it('confirms a PENDING order on its capture: saves it, shows it CONFIRMED and CAPTURED, appends OrderConfirmed and counts it', async () => {
    const order = stored();

    await handler.execute(new ConfirmOrderCommand(order.id));

    const saved = ports.orders.stored(order.id)!;
    expect(saved).toMatchObject({ version: 2, state: { status: 'CONFIRMED', paymentStatus: 'CAPTURED' } });
    expect(ports.views.view(order.id)).toMatchObject({
      status: 'CONFIRMED',
      paymentStatus: 'CAPTURED',
      updatedAt: saved.state.updatedAt.toISOString(),
    });
    expect(ports.outbox.events).toEqual([new OrderConfirmedEvent(order.id, saved.state.updatedAt, owner.id, 5998)]);
    expect(ports.outcomes.counted).toEqual([{ orderId: order.id, outcome: 'confirmed', reason: '' }]);
  });

  it.each<[OrderStatus, OrderPaymentStatus]>([
    ['CONFIRMED', 'CAPTURED'],
    ['REJECTED', 'REQUESTED'],
    ['CANCELLED', 'REQUESTED'],
    ['CANCELLED', 'REFUNDED'],
  ])(
    'leaves a %s order with its payment %s as it is (a redelivered or late capture)',
    async (status, paymentStatus) => {
      const order = stored(status, paymentStatus);

      await handler.execute(new ConfirmOrderCommand(order.id));

      expect(ports.orders.stored(order.id)).toMatchObject({ version: 2, state: { status, paymentStatus } });
      expect(ports.views.view(order.id)).toMatchObject({ status, paymentStatus });
      expect(ports.outbox.events).toEqual([]);
      expect(ports.outcomes.counted).toEqual([]);
    },
  );

  it('refuses an unknown order with ORDER_NOT_FOUND', async () => {
    await expect(handler.execute(new ConfirmOrderCommand(anOrderId()))).rejects.toBeInstanceOf(OrderNotFoundError);
    expect(ports.outbox.events).toEqual([]);
  });

  it('changes and counts nothing when a step after the save fails', async () => {
    const order = stored();
    const failure = new Error('outbox unavailable');
    ports.outbox.failNextAppend = failure;

    await expect(handler.execute(new ConfirmOrderCommand(order.id))).rejects.toBe(failure);

    expect(ports.orders.stored(order.id)).toMatchObject({ version: 1, state: { status: 'PENDING' } });
    expect(ports.views.view(order.id)?.status).toBe('PENDING');
    expect(ports.outcomes.counted).toEqual([]);
  });

  it('joins the unit of work it is called in (the event consumer holds the inbox claim there)', async () => {
    const order = stored();
    const failure = new Error('the consumer rolled back');

    await expect(
      ports.unitOfWork.run(async () => {
        await handler.execute(new ConfirmOrderCommand(order.id));
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(ports.orders.stored(order.id)?.state.status).toBe('PENDING');
    expect(ports.outbox.events).toEqual([]);
    expect(ports.outcomes.counted).toEqual([]);
  });
});
