import { describe, expect, it } from '@jest/globals';
import { OrdersRpc } from '@app/contracts';
import type { OrderStatus } from '../domain/index.js';
import { PlaceOrderCommand } from './commands/place-order/place-order.command.js';
import { PlaceOrderHandler } from './commands/place-order/place-order.handler.js';
import { toOrderResponse } from './order-response.mapper.js';
import { inMemoryOrdersPorts } from './testing/in-memory-orders-ports.js';
import { aStoredOrder, owner } from './testing/order-fixtures.js';

/** What the orders handlers answer must be what the contract says goes over the wire. */
describe('the orders answers, against their RPC response schemas', () => {
  it.each<[OrderStatus]>([['PENDING'], ['CONFIRMED'], ['REJECTED'], ['CANCELLED']])(
    'maps a %s order to an OrderResponse the contract accepts as it is',
    (status) => {
      const order = toOrderResponse(aStoredOrder(status));
      expect(OrdersRpc.get.response.parse(order)).toEqual(order);
      expect(OrdersRpc.cancel.response.parse(order)).toEqual(order);
    },
  );

  it('answers a placed order, first and replayed, in the shape the contract accepts', async () => {
    const ports = inMemoryOrdersPorts();
    const handler = new PlaceOrderHandler(ports.keys, ports.orders, ports.views, ports.outbox, ports.unitOfWork);
    const command = new PlaceOrderCommand(owner, 'key-1', 'EUR', [
      { sku: 'BOOK-1', quantity: 2, unitPriceCents: 1999 },
    ]);
    const first = await handler.execute(command);
    const replay = await handler.execute(command);
    expect(OrdersRpc.place.response.parse(first)).toEqual(first);
    expect(OrdersRpc.place.response.parse(replay)).toEqual({ ...first, replayed: true });
  });
});
