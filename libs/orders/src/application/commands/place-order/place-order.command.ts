import { Command } from '@nestjs/cqrs';
import type { Actor, OrderItem, PlaceOrderResponse } from '@app/contracts';

export class PlaceOrderCommand extends Command<PlaceOrderResponse> {
  constructor(
    readonly actor: Actor,
    readonly idempotencyKey: string,
    readonly currency: string,
    readonly items: readonly OrderItem[],
  ) {
    super();
  }
}
