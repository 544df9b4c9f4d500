import { beforeEach, describe, expect, it } from '@jest/globals';
import { OrderConfirmedEvent, OrderNotFoundError, type OrderStatus } from '../../../domain/index.js';
import { inMemoryOrdersPorts, type InMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { aStoredOrder, anOrderId, owner } from '../../testing/order-fixtures.js';
import { ConfirmOrderCommand } from './confirm-order.command.js';
import { ConfirmOrderHandler } from './confirm-order.handler.js';

describe('ConfirmOrderHandler', () => {
  let ports: InMemoryOrdersPorts;
  let handler: ConfirmOrderHandler;

  beforeEach(() => {
    ports = inMemoryOrdersPorts();
    handler = new ConfirmOrderHandler(ports.orders, ports.views, ports.outbox, ports.outcomes, ports.unitOfWork);
  });

  function stored(status: OrderStatus = 'PENDING') {
    const order = aStoredOrder(status);
    ports.orders.add(order);
    ports.views.add(order);
    return order;
  }

  it('confirms a PENDING order: saves it, shows it CONFIRMED, appends OrderConfirmed and counts it', async () => {
    const order = stored();

    await handler.execute(new ConfirmOrderCommand(order.id));

    const saved = ports.orders.stored(order.id)!;
    expect(saved).toMatchObject({ version: 2, state: { status: 'CONFIRMED' } });
    expect(ports.views.view(order.id)).toMatchObject({
      status: 'CONFIRMED',
      updatedAt: saved.state.updatedAt.toISOString(),
    });
    expect(ports.outbox.events).toEqual([new OrderConfirmedEvent(order.id, saved.state.updatedAt, owner.id, 5998)]);
    expect(ports.outcomes.counted).toEqual([{ orderId: order.id, outcome: 'confirmed', reason: '' }]);
  });

  it.each<[OrderStatus]>([['CONFIRMED'], ['REJECTED'], ['CANCELLED']])(
    'leaves a %s order as it is (a redelivered or late answer)',
    async (status) => {
      const order = stored(status);

      await handler.execute(new ConfirmOrderCommand(order.id));

      expect(ports.orders.stored(order.id)).toMatchObject({ version: 2, state: { status } });
      expect(ports.views.view(order.id)?.status).toBe(status);
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
