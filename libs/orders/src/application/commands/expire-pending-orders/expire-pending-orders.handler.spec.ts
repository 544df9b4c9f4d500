import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  OrderCancelledEvent,
  OrderRejectedEvent,
  type Order,
  type OrderPaymentStatus,
  type OrderStatus,
} from '../../../domain/index.js';
import { inMemoryOrdersPorts, type InMemoryOrdersPorts } from '../../testing/in-memory-orders-ports.js';
import { aStoredOrder, owner } from '../../testing/order-fixtures.js';
import { ExpirePendingOrdersCommand } from './expire-pending-orders.command.js';
import { ExpirePendingOrdersHandler } from './expire-pending-orders.handler.js';

const TIMEOUT_MS = 30_000;

describe('ExpirePendingOrdersHandler', () => {
  let ports: InMemoryOrdersPorts;
  let handler: ExpirePendingOrdersHandler;

  beforeEach(() => {
    ports = inMemoryOrdersPorts();
    handler = new ExpirePendingOrdersHandler(ports.orders, ports.views, ports.outbox, ports.outcomes, ports.unitOfWork);
  });

  function stored(status: OrderStatus, ageMs: number, paymentStatus?: OrderPaymentStatus): Order {
    const order = aStoredOrder(status, new Date(Date.now() - ageMs), paymentStatus);
    ports.orders.add(order);
    ports.views.add(order);
    return order;
  }

  it('rejects PENDING orders past the timeout with SAGA_TIMEOUT and tells users to release late credit', async () => {
    const old = stored('PENDING', TIMEOUT_MS + 5_000);

    expect(await handler.execute(new ExpirePendingOrdersCommand(TIMEOUT_MS))).toBe(1);

    const saved = ports.orders.stored(old.id)!;
    expect(saved.state).toMatchObject({ status: 'REJECTED', rejectionReason: 'SAGA_TIMEOUT' });
    expect(ports.views.view(old.id)).toMatchObject({ status: 'REJECTED', rejectionReason: 'SAGA_TIMEOUT' });
    const at = saved.state.updatedAt;
    expect(ports.outbox.events).toEqual([
      new OrderRejectedEvent(old.id, at, owner.id, 'SAGA_TIMEOUT'),
      new OrderCancelledEvent(old.id, at, owner.id, 5998, 'PENDING', 'SAGA_TIMEOUT'),
    ]);
    expect(ports.outcomes.counted).toEqual([{ orderId: old.id, outcome: 'rejected', reason: 'SAGA_TIMEOUT' }]);
  });

  it('leaves orders within the timeout, and settled ones, alone', async () => {
    const young = stored('PENDING', TIMEOUT_MS - 5_000);
    const confirmed = stored('CONFIRMED', TIMEOUT_MS + 5_000);

    expect(await handler.execute(new ExpirePendingOrdersCommand(TIMEOUT_MS))).toBe(0);

    expect(ports.orders.stored(young.id)?.state.status).toBe('PENDING');
    expect(ports.orders.stored(confirmed.id)?.state.status).toBe('CONFIRMED');
    expect(ports.outbox.events).toEqual([]);
  });

  it('expires at most `limit` orders per run, oldest first', async () => {
    const oldest = stored('PENDING', TIMEOUT_MS + 30_000);
    const older = stored('PENDING', TIMEOUT_MS + 20_000);
    const old = stored('PENDING', TIMEOUT_MS + 10_000);

    expect(await handler.execute(new ExpirePendingOrdersCommand(TIMEOUT_MS, 2))).toBe(2);

    expect([oldest, older, old].map((order) => ports.orders.stored(order.id)?.state.status)).toEqual([
      'REJECTED',
      'REJECTED',
      'PENDING',
    ]);
  });

  it('leaves an order the saga answered meanwhile as the answer made it, and goes on with the rest', async () => {
    const answered = stored('PENDING', TIMEOUT_MS + 20_000, 'REQUESTED');
    const unanswered = stored('PENDING', TIMEOUT_MS + 10_000);
    ports.orders.changeBeforeNextSaves(answered.id, (order) => order.confirm(new Date()));

    expect(await handler.execute(new ExpirePendingOrdersCommand(TIMEOUT_MS))).toBe(1);

    expect(ports.orders.stored(answered.id)?.state.status).toBe('CONFIRMED');
    expect(ports.views.view(answered.id)?.status).toBe('PENDING'); // the answer's own handler shows it
    expect(ports.orders.stored(unanswered.id)?.state.status).toBe('REJECTED');
    expect(ports.outbox.events.map((event) => [event.type, event.aggregateId])).toEqual([
      ['OrderRejected', unanswered.id],
      ['OrderCancelled', unanswered.id],
    ]);
    expect(ports.outcomes.counted.map((entry) => entry.orderId)).toEqual([unanswered.id]);
  });
});
