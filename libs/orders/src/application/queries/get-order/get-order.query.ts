import { Query } from '@nestjs/cqrs';
import type { Actor, OrderResponse } from '@app/contracts';

export class GetOrderQuery extends Query<OrderResponse> {
  constructor(
    readonly actor: Actor,
    readonly orderId: string,
  ) {
    super();
  }
}
