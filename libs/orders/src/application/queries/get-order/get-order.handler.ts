import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { actsFor, type OrderResponse } from '@app/contracts';
import { OrderNotFoundError } from '../../../domain/index.js';
import { OrderViews } from '../../ports/order-views.port.js';
import { GetOrderQuery } from './get-order.query.js';

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery, OrderResponse> {
  constructor(private readonly views: OrderViews) {}

  async execute({ actor, orderId }: GetOrderQuery): Promise<OrderResponse> {
    const order = await this.views.findById(orderId);
    if (!order || !actsFor(actor, order.userId)) throw new OrderNotFoundError(orderId);
    return order;
  }
}
