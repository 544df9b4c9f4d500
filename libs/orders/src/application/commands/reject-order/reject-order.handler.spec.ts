import { beforeEach, describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { OrderNotFoundError, OrderRejectedEvent, type OrderStatus } from '../../../domain/index.js';
import { inMemoryOrdersPorts, type InMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { aStoredOrder, anOrderId, owner } from '../../testing/order-fixtures.js';
import { RejectOrderCommand } from './reject-order.command.js';
import { RejectOrderHandler } from './reject-order.handler.js';

describe('RejectOrderHandler', () => {
  let ports: InMemoryOrdersPorts;
  let handler: RejectOrderHandler;

  beforeEach(() => {
    ports = inMemoryOrdersPorts();
    handler = new RejectOrderHandler(ports.sagaSteps);
  });

  function stored(status: OrderStatus = 'PENDING') {
    const order = aStoredOrder(status);
    ports.orders.add(order);
    ports.views.add(order);
    return order;
  }

  it.each([['INSUFFICIENT_CREDIT'], ['USER_NOT_FOUND']])(
    'rejects a PENDING order for %s: saves it, shows it, appends OrderRejected and counts the reason',
    async (reason) => {
      const order = stored();

      await handler.execute(new RejectOrderCommand(order.id, reason));

      const saved = ports.orders.stored(order.id)!;
      expect(saved).toMatchObject({ version: 2, state: { status: 'REJECTED', rejectionReason: reason } });
      expect(ports.views.view(order.id)).toMatchObject({ status: 'REJECTED', rejectionReason: reason });
      expect(ports.outbox.events).toEqual([new OrderRejectedEvent(order.id, saved.state.updatedAt, owner.id, reason)]);
      expect(ports.outcomes.counted).toEqual([{ orderId: order.id, outcome: 'rejected', reason }]);
    },
  );

  it.each<[OrderStatus]>([['CONFIRMED'], ['REJECTED'], ['CANCELLED']])('leaves a %s order as it is', async (status) => {
    const order = stored(status);
    const before = ports.orders.stored(order.id);

    await handler.execute(new RejectOrderCommand(order.id, 'INSUFFICIENT_CREDIT'));

    expect(ports.orders.stored(order.id)).toBe(before);
    expect(ports.outbox.events).toEqual([]);
    expect(ports.outcomes.counted).toEqual([]);
  });

  it('refuses an empty reason with VALIDATION_FAILED, leaving the order PENDING', async () => {
    const order = stored();

    await expect(handler.execute(new RejectOrderCommand(order.id, ' '))).rejects.toBeInstanceOf(ValidationFailedError);

    expect(ports.orders.stored(order.id)?.state.status).toBe('PENDING');
    expect(ports.outbox.events).toEqual([]);
  });

  it('refuses an unknown order with ORDER_NOT_FOUND', async () => {
    await expect(handler.execute(new RejectOrderCommand(anOrderId(), 'INSUFFICIENT_CREDIT'))).rejects.toBeInstanceOf(
      OrderNotFoundError,
    );
  });
});
