import { Command } from '@nestjs/cqrs';
import type { Actor, OrderResponse } from '@app/contracts';

export class CancelOrderCommand extends Command<OrderResponse> {
  constructor(
    readonly actor: Actor,
    readonly orderId: string,
  ) {
    super();
  }
}
