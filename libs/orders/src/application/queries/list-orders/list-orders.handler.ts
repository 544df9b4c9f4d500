import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { OrderListResponse } from '@app/contracts';
import { OrderViews } from '../../ports/order-views.port.js';
import { ListOrdersQuery } from './list-orders.query.js';

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery, OrderListResponse> {
  constructor(private readonly views: OrderViews) {}

  execute({ actor, status, limit, cursor }: ListOrdersQuery): Promise<OrderListResponse> {
    return this.views.listForUser(actor.id, status, limit, cursor);
  }
}
