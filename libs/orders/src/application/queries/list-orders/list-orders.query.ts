import { Query } from '@nestjs/cqrs';
import type { Actor, OrderListResponse, OrderStatusValue } from '@app/contracts';

/** The caller's own orders, newest first. */
export class ListOrdersQuery extends Query<OrderListResponse> {
  constructor(
    readonly actor: Actor,
    readonly status: OrderStatusValue | undefined,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}
