import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Res } from '@nestjs/common';
import {
  OrdersRpc,
  PAGE_LIMIT_DEFAULT,
  type ListOrdersRequest,
  type OrderListResponse,
  type OrderResponse,
  type PlaceOrderRequest,
} from '@app/contracts';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { RpcClient } from '@app/messaging';
import type { FastifyReply } from 'fastify';
import { AccessToken } from '../auth/access-token.decorator.js';
import { FeatureSwitches } from '../http/feature-switches/feature-switches.js';
import { RateLimited } from '../http/rate-limit/rate-limit-scope.decorator.js';
import { EntityIdPipe } from '../http/entity-id.pipe.js';
import { ApiProblems } from '../openapi/api-problems.decorator.js';
import { ORDERS_CLIENT } from '../rpc/service-clients.js';
import { ListOrdersQuery } from './dto/list-orders.query.js';
import { OrderPage, OrderView } from './dto/order.response.js';
import { PlaceOrderDto } from './dto/place-order.dto.js';
import { IDEMPOTENT_REPLAYED_HEADER, IdempotencyKey } from './idempotency-key.decorator.js';

/** Who may see or cancel which order is decided by the orders service; the gateway forwards the caller's verified access token. */
@Controller('orders')
@ApiTags('orders')
@ApiBearerAuth()
@ApiProblems(401)
export class OrdersController {
  constructor(
    @Inject(ORDERS_CLIENT) private readonly orders: RpcClient,
    private readonly features: FeatureSwitches,
  ) {}

  /**
   * Places an order, PENDING until its credit is reserved and its payment captured (then
   * CONFIRMED) or either is refused (REJECTED); 503 ORDER_PLACEMENT_PAUSED while placing orders
   * is switched off.
   */
  @Post()
  @RateLimited('place-order')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: '1-128 visible ASCII characters; the same key and body answer the first answer again',
  })
  @ApiCreatedResponse({
    type: OrderView,
    headers: {
      [IDEMPOTENT_REPLAYED_HEADER]: {
        description:
          'true when this is the stored answer to an earlier request with the same key and body; absent otherwise',
        schema: { type: 'string', enum: ['true'] },
      },
    },
  })
  @ApiProblems(400, 409, 413, 415)
  async place(
    @AccessToken() accessToken: string,
    @IdempotencyKey() idempotencyKey: string,
    @Body() body: PlaceOrderDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OrderResponse> {
    this.features.requireOrderPlacementOpen();
    const request: PlaceOrderRequest = {
      accessToken,
      idempotencyKey,
      currency: body.currency,
      items: body.items.map((item) => ({
        sku: item.sku,
        quantity: item.quantity,
        unitPriceCents: item.unitPriceCents,
      })),
    };
    const { order, replayed } = await this.orders.call(OrdersRpc.place, request);
    // As the IETF Idempotency-Key draft suggests: this answer is the key's first one, stored.
    if (replayed) void reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    return order;
  }

  /** Your orders, newest first, by keyset pagination. */
  @Get()
  @ApiOkResponse({ type: OrderPage })
  @ApiProblems(400)
  async list(@AccessToken() accessToken: string, @Query() query: ListOrdersQuery): Promise<OrderListResponse> {
    const request: ListOrdersRequest = {
      accessToken,
      status: query.status,
      limit: query.limit ?? PAGE_LIMIT_DEFAULT,
      cursor: query.cursor,
    };
    const page = await this.orders.call(OrdersRpc.list, request);
    return { items: page.items, nextCursor: page.nextCursor };
  }

  /** One order: yours, or any for an admin; anyone else's is 404. */
  @Get(':id')
  @ApiOkResponse({ type: OrderView })
  @ApiProblems(400, 404)
  get(@AccessToken() accessToken: string, @Param('id', EntityIdPipe) id: string): Promise<OrderResponse> {
    return this.orders.call(OrdersRpc.get, { accessToken, orderId: id });
  }

  /** PENDING or CONFIRMED → CANCELLED; the reserved credit is released and a captured payment refunded. Idempotent. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: OrderView })
  @ApiProblems(400, 404, 409)
  cancel(@AccessToken() accessToken: string, @Param('id', EntityIdPipe) id: string): Promise<OrderResponse> {
    return this.orders.call(OrdersRpc.cancel, { accessToken, orderId: id });
  }
}
