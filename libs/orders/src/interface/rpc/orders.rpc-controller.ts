import { Controller, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ORDERS_PAGE_DEFAULT,
  ORDERS_PAGE_MAX,
  OrdersRpc,
  type OrderListResponse,
  type OrderResponse,
} from '@app/contracts';
import { RpcErrorFilter, asRecord, parseActor, parseCursor, parseLimit, parseUuid } from '@app/messaging';
import { CancelOrderCommand, GetOrderQuery, ListOrdersQuery, PlaceOrderCommand } from '../../application/index.js';
import { parseIdempotencyKey, parseStatus } from './rpc-input.js';

/**
 * The orders context's RPC surface. Payloads are untrusted (anyone on the bus can publish):
 * identity, ids and paging are checked here, the order itself by the domain, access by the
 * handlers (an order that is not yours does not exist).
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class OrdersRpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @MessagePattern(OrdersRpc.place)
  place(@Payload() payload: unknown): Promise<OrderResponse> {
    const request = asRecord(payload);
    return this.commands.execute(
      new PlaceOrderCommand(
        parseActor(request.actor),
        parseIdempotencyKey(request.idempotencyKey),
        request.currency,
        request.items,
      ),
    );
  }

  @MessagePattern(OrdersRpc.get)
  get(@Payload() payload: unknown): Promise<OrderResponse> {
    const request = asRecord(payload);
    return this.queries.execute(new GetOrderQuery(parseActor(request.actor), parseUuid(request.orderId, 'orderId')));
  }

  @MessagePattern(OrdersRpc.list)
  list(@Payload() payload: unknown): Promise<OrderListResponse> {
    const request = asRecord(payload);
    return this.queries.execute(
      new ListOrdersQuery(
        parseActor(request.actor),
        parseStatus(request.status),
        parseLimit(request.limit, ORDERS_PAGE_DEFAULT, ORDERS_PAGE_MAX),
        parseCursor(request.cursor),
      ),
    );
  }

  @MessagePattern(OrdersRpc.cancel)
  cancel(@Payload() payload: unknown): Promise<OrderResponse> {
    const request = asRecord(payload);
    return this.commands.execute(
      new CancelOrderCommand(parseActor(request.actor), parseUuid(request.orderId, 'orderId')),
    );
  }
}
