import { createHash, randomUUID } from 'node:crypto';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { OrderResponse } from '@app/contracts';
import { UnitOfWork, ValidationFailedError } from '@app/ddd';
import { Currency, Order, OrderLine } from '../../../domain/index.js';
import { IdempotencyKeyReusedError } from '../../orders-errors.js';
import { IdempotencyKeys, KeyAlreadyUsedError, type StoredAnswer } from '../../ports/idempotency-keys.port.js';
import { OrderRepository } from '../../ports/order.repository.port.js';
import { toOrderResponse } from '../../order-response.mapper.js';
import { PlaceOrderCommand } from './place-order.command.js';

/**
 * Places an order PENDING, with its OrderPlaced event and the first answer to its
 * Idempotency-Key, in one transaction. The same key with the same request answers the first
 * answer again; with another request it is refused.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand, OrderResponse> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly keys: IdempotencyKeys,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: PlaceOrderCommand): Promise<OrderResponse> {
    const currency = Currency.create(command.currency);
    const lines = parseLines(command.items);
    const requestHash = hashRequest(currency, lines);
    const userId = command.actor.id;
    try {
      return await this.unitOfWork.run(async () => {
        const stored = await this.keys.find(userId, command.idempotencyKey);
        if (stored) return replay(stored, requestHash);
        const order = Order.place({ id: randomUUID(), userId, lines, currency, now: new Date() });
        await this.orders.save(order);
        const response = toOrderResponse(order);
        await this.keys.save(userId, command.idempotencyKey, { requestHash, response });
        return response;
      });
    } catch (error) {
      if (!(error instanceof KeyAlreadyUsedError)) throw error;
      // A concurrent request with the same key committed first; ours rolled back.
      const stored = await this.keys.find(userId, command.idempotencyKey);
      if (!stored) throw error;
      return replay(stored, requestHash);
    }
  }
}

function parseLines(items: unknown): OrderLine[] {
  if (!Array.isArray(items)) {
    throw new ValidationFailedError('items must be an array', {
      fields: [{ field: 'items', message: 'must be an array' }],
    });
  }
  return items.map((item, index) => OrderLine.create(item, index));
}

function hashRequest(currency: Currency, lines: OrderLine[]): string {
  const canonical = JSON.stringify({ currency: currency.value, items: lines.map((line) => line.toPrimitives()) });
  return createHash('sha256').update(canonical).digest('hex');
}

function replay(stored: StoredAnswer, requestHash: string): OrderResponse {
  if (stored.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
  return stored.response;
}
