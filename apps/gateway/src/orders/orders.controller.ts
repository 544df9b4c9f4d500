import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ORDERS_PAGE_DEFAULT,
  OrdersRpc,
  type Actor,
  type CancelOrderRequest,
  type GetOrderRequest,
  type ListOrdersRequest,
  type OrderListResponse,
  type OrderResponse,
  type PlaceOrderRequest,
} from '@app/contracts';
import type { RpcClient } from '@app/messaging';
import { CurrentActor } from '../auth/current-actor.decorator.js';
import { ORDERS_CLIENT } from '../rpc/service-clients.js';
import { ListOrdersQuery } from './dto/list-orders.query.js';
import { PlaceOrderDto } from './dto/place-order.dto.js';
import { IdempotencyKey } from './idempotency-key.decorator.js';

/** Who may see or cancel which order is decided by the orders service; the gateway passes the verified actor. */
@Controller('orders')
export class OrdersController {
  constructor(@Inject(ORDERS_CLIENT) private readonly orders: RpcClient) {}

  @Post()
  place(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Body() body: PlaceOrderDto,
  ): Promise<OrderResponse> {
    const request: PlaceOrderRequest = {
      actor,
      idempotencyKey,
      currency: body.currency,
      items: body.items.map((item) => ({
        sku: item.sku,
        quantity: item.quantity,
        unitPriceCents: item.unitPriceCents,
      })),
    };
    return this.orders.send(OrdersRpc.place, request);
  }

  @Get()
  async list(@CurrentActor() actor: Actor, @Query() query: ListOrdersQuery): Promise<OrderListResponse> {
    const request: ListOrdersRequest = {
      actor,
      status: query.status,
      limit: query.limit ?? ORDERS_PAGE_DEFAULT,
      cursor: query.cursor,
    };
    const page = await this.orders.send<OrderListResponse>(OrdersRpc.list, request);
    return { items: page.items, nextCursor: page.nextCursor };
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<OrderResponse> {
    const request: GetOrderRequest = { actor, orderId: id };
    return this.orders.send(OrdersRpc.get, request);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<OrderResponse> {
    const request: CancelOrderRequest = { actor, orderId: id };
    return this.orders.send(OrdersRpc.cancel, request);
  }
}
