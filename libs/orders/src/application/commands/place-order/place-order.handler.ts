import { createHash, randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PlaceOrderResponse } from '@app/contracts';
import { UnitOfWork } from '@app/ddd';
import { Currency, Order, OrderLine } from '../../../domain/index.js';
import { IdempotencyKeyReusedError } from '../../orders-errors.js';
import { IdempotencyKeys, type StoredAnswer } from '../../ports/idempotency-keys.port.js';
import { OrderRepository } from '../../ports/order.repository.port.js';
import { OrderViewProjector } from '../../ports/order-view-projector.port.js';
import { OrdersOutbox } from '../../ports/orders-outbox.port.js';
import { toOrderResponse } from '../../order-response.mapper.js';
import { PlaceOrderCommand } from './place-order.command.js';

/**
 * Places an order PENDING in one unit of work: the first answer to its Idempotency-Key, the
 * order, its read-model row and its OrderPlaced event. The same key with the same request
 * answers the first answer again, marked as replayed; with another request it is refused.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand, PlaceOrderResponse> {
  constructor(
    private readonly keys: IdempotencyKeys,
    private readonly orders: OrderRepository,
    private readonly views: OrderViewProjector,
    private readonly outbox: OrdersOutbox,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: PlaceOrderCommand): Promise<PlaceOrderResponse> {
    const currency = Currency.create(command.currency);
    const lines = command.items.map((item, index) => OrderLine.create(item, index));
    const requestHash = hashRequest(currency, lines);
    const userId = command.actor.id;
    const order = Order.place({ id: randomUUID(), userId, lines, currency, now: new Date() });
    const response = toOrderResponse(order);
    return this.unitOfWork.run(async () => {
      const first = await this.keys.claim(userId, command.idempotencyKey, { requestHash, response });
      if (first) return replay(first, requestHash);
      await this.orders.save(order);
      await this.views.project(order);
      await this.outbox.append(order.uncommittedEvents);
      return { order: response, replayed: false };
    });
  }
}

function hashRequest(currency: Currency, lines: OrderLine[]): string {
  const canonical = JSON.stringify({ currency: currency.value, items: lines.map((line) => line.toPrimitives()) });
  return createHash('sha256').update(canonical).digest('hex');
}

function replay(stored: StoredAnswer, requestHash: string): PlaceOrderResponse {
  if (stored.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
  return { order: stored.response, replayed: true };
}
