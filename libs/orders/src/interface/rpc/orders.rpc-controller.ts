import { Controller, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { Payload } from '@nestjs/microservices';
import {
  OrdersRpc,
  PAGE_LIMIT_DEFAULT,
  type CancelOrderRequest,
  type GetOrderRequest,
  type ListOrdersRequest,
  type OrderListResponse,
  type OrderResponse,
  type PlaceOrderRequest,
  type PlaceOrderResponse,
} from '@app/contracts';
import { ActorVerifier, RpcErrorFilter, RpcHandler } from '@app/messaging';
import { CancelOrderCommand, GetOrderQuery, ListOrdersQuery, PlaceOrderCommand } from '../../application/index.js';

/**
 * The orders context's RPC surface. Each request arrives parsed by its definition's schema (see
 * `@RpcHandler`); the caller comes from the access token the request carries, verified with the
 * gateway's public key (ActorVerifier), never from a claim in the payload; the order's business
 * rules are the domain's, access is the handlers' (an order that is not yours does not exist).
 */
@Controller()
@UseFilters(RpcErrorFilter)
export class OrdersRpcController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly actors: ActorVerifier,
  ) {}

  @RpcHandler(OrdersRpc.place)
  async place(@Payload() request: PlaceOrderRequest): Promise<PlaceOrderResponse> {
    const actor = await this.actors.actorOf(request.accessToken);
    return this.commands.execute(new PlaceOrderCommand(actor, request.idempotencyKey, request.currency, request.items));
  }

  @RpcHandler(OrdersRpc.get)
  async get(@Payload() request: GetOrderRequest): Promise<OrderResponse> {
    const actor = await this.actors.actorOf(request.accessToken);
    return this.queries.execute(new GetOrderQuery(actor, request.orderId));
  }

  @RpcHandler(OrdersRpc.list)
  async list(@Payload() request: ListOrdersRequest): Promise<OrderListResponse> {
    const actor = await this.actors.actorOf(request.accessToken);
    // An empty cursor, like none, asks for the first page.
    return this.queries.execute(
      new ListOrdersQuery(actor, request.status, request.limit ?? PAGE_LIMIT_DEFAULT, request.cursor || undefined),
    );
  }

  @RpcHandler(OrdersRpc.cancel)
  async cancel(@Payload() request: CancelOrderRequest): Promise<OrderResponse> {
    const actor = await this.actors.actorOf(request.accessToken);
    return this.commands.execute(new CancelOrderCommand(actor, request.orderId));
  }
}
