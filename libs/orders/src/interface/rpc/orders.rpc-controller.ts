import { Controller, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ORDERS_PAGE_DEFAULT,
  ORDERS_PAGE_MAX,
  OrdersRpc,
  type OrderListResponse,
  type OrderResponse,
  type PlaceOrderResponse,
} from '@app/contracts';
import { ActorVerifier, RpcErrorFilter, asRecord, parseCursor, parseLimit, parseUuid } from '@app/messaging';
import { CancelOrderCommand, GetOrderQuery, ListOrdersQuery, PlaceOrderCommand } from '../../application/index.js';
import { parseIdempotencyKey, parseStatus } from './rpc-input.js';

/**
 * The orders context's RPC surface. Payloads are untrusted (anyone on the bus can publish):
 * the caller comes from the access token the request carries, verified with the gateway's public
 * key (ActorVerifier), never from a claim in the payload; ids and paging are checked here, the order itself by the domain, access by the
 * handlers (an order that is not yours does not exist).
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class OrdersRpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly actors: ActorVerifier,
  ) {}

  @MessagePattern(OrdersRpc.place)
  async place(@Payload() payload: unknown): Promise<PlaceOrderResponse> {
    const request = asRecord(payload);
    const actor = await this.actors.actorOf(request.accessToken);
    return this.commands.execute(
      new PlaceOrderCommand(actor, parseIdempotencyKey(request.idempotencyKey), request.currency, request.items),
    );
  }

  @MessagePattern(OrdersRpc.get)
  async get(@Payload() payload: unknown): Promise<OrderResponse> {
    const request = asRecord(payload);
    const actor = await this.actors.actorOf(request.accessToken);
    return this.queries.execute(new GetOrderQuery(actor, parseUuid(request.orderId, 'orderId')));
  }

  @MessagePattern(OrdersRpc.list)
  async list(@Payload() payload: unknown): Promise<OrderListResponse> {
    const request = asRecord(payload);
    const actor = await this.actors.actorOf(request.accessToken);
    return this.queries.execute(
      new ListOrdersQuery(
        actor,
        parseStatus(request.status),
        parseLimit(request.limit, ORDERS_PAGE_DEFAULT, ORDERS_PAGE_MAX),
        parseCursor(request.cursor),
      ),
    );
  }

  @MessagePattern(OrdersRpc.cancel)
  async cancel(@Payload() payload: unknown): Promise<OrderResponse> {
    const request = asRecord(payload);
    const actor = await this.actors.actorOf(request.accessToken);
    return this.commands.execute(new CancelOrderCommand(actor, parseUuid(request.orderId, 'orderId')));
  }
}
