import { z } from 'zod';
import { centsSchema, currencySchema } from '../events/money.schema.js';
import { defineRpc } from '../rpc/define-rpc.js';
import {
  authenticatedSchema,
  cursorSchema,
  entityIdSchema,
  instantSchema,
  pageLimitSchema,
} from '../rpc/wire-rules.js';
import {
  IDEMPOTENCY_KEY_PATTERN,
  IDEMPOTENCY_KEY_RULE,
  ITEMS_RULE,
  ORDER_ITEMS_MAX,
  ORDER_ITEM_QUANTITY_MAX,
  ORDER_ITEM_UNIT_PRICE_CENTS_MAX,
  QUANTITY_RULE,
  SKU_PATTERN,
  SKU_RULE,
  UNIT_PRICE_RULE,
} from './order-rules.js';

export const OrdersErrorCodes = {
  orderNotFound: 'ORDER_NOT_FOUND',
  orderNotCancellable: 'ORDER_NOT_CANCELLABLE',
  idempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
} as const;

export const OrderStatuses = ['PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED'] as const;
export type OrderStatusValue = (typeof OrderStatuses)[number];
const STATUS_RULE = `must be one of ${OrderStatuses.join(', ')}`;

/**
 * The order's payment as the orders saga knows it: NOT_REQUESTED (credit not reserved yet, or
 * never), REQUESTED (capture asked of payments), CAPTURED, DECLINED, REFUNDED, VOIDED (the order
 * ended before a charge was kept: nothing taken). The payment itself, with the provider's
 * amounts, is `payments.get-by-order`.
 */
export const OrderPaymentStatuses = [
  'NOT_REQUESTED',
  'REQUESTED',
  'CAPTURED',
  'DECLINED',
  'REFUNDED',
  'VOIDED',
] as const;
export type OrderPaymentStatusValue = (typeof OrderPaymentStatuses)[number];

export const idempotencyKeySchema = z
  .string({ error: IDEMPOTENCY_KEY_RULE })
  .regex(IDEMPOTENCY_KEY_PATTERN, IDEMPOTENCY_KEY_RULE);

const orderStatusSchema = z.enum(OrderStatuses, { error: STATUS_RULE });

export const orderItemSchema = z.object(
  {
    sku: z.string({ error: SKU_RULE }).regex(SKU_PATTERN, SKU_RULE),
    quantity: z.int({ error: QUANTITY_RULE }).min(1, QUANTITY_RULE).max(ORDER_ITEM_QUANTITY_MAX, QUANTITY_RULE),
    unitPriceCents: z
      .int({ error: UNIT_PRICE_RULE })
      .min(1, UNIT_PRICE_RULE)
      .max(ORDER_ITEM_UNIT_PRICE_CENTS_MAX, UNIT_PRICE_RULE),
  },
  { error: 'must be an object' },
);

const placeOrderRequest = authenticatedSchema.extend({
  /** Client-chosen; the same key with the same body returns the first answer. */
  idempotencyKey: idempotencyKeySchema,
  currency: currencySchema,
  items: z.array(orderItemSchema, { error: 'must be an array' }).min(1, ITEMS_RULE).max(ORDER_ITEMS_MAX, ITEMS_RULE),
});

const orderByIdRequest = authenticatedSchema.extend({ orderId: entityIdSchema });

const listOrdersRequest = authenticatedSchema.extend({
  status: orderStatusSchema.optional(),
  limit: pageLimitSchema.optional(),
  cursor: cursorSchema.optional(),
});

/** An order as every API shows it. */
const orderResponse = z.object({
  id: entityIdSchema,
  userId: entityIdSchema,
  status: orderStatusSchema,
  items: z.array(orderItemSchema),
  totalCents: centsSchema,
  currency: currencySchema,
  /** Why it was REJECTED: INSUFFICIENT_CREDIT, USER_NOT_FOUND, PAYMENT_DECLINED or SAGA_TIMEOUT; else null. */
  rejectionReason: z.string().nullable(),
  paymentStatus: z.enum(OrderPaymentStatuses),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});

/**
 * The answer to `orders.place`: the order as the key's first request answered it, and whether
 * this request was a replay of that one (same key, same body: nothing new was placed).
 */
const placeOrderResponse = z.object({ order: orderResponse, replayed: z.boolean() });

const orderListResponse = z.object({
  items: z.array(orderResponse),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});

export const OrdersRpc = {
  place: defineRpc({
    service: 'orders',
    name: 'orders.place',
    grpcMethod: 'PlaceOrder',
    request: placeOrderRequest,
    response: placeOrderResponse,
    idempotent: false,
  }),
  get: defineRpc({
    service: 'orders',
    name: 'orders.get',
    grpcMethod: 'GetOrder',
    request: orderByIdRequest,
    response: orderResponse,
    idempotent: true,
  }),
  list: defineRpc({
    service: 'orders',
    name: 'orders.list',
    grpcMethod: 'ListOrders',
    request: listOrdersRequest,
    response: orderListResponse,
    idempotent: true,
  }),
  cancel: defineRpc({
    service: 'orders',
    name: 'orders.cancel',
    grpcMethod: 'CancelOrder',
    request: orderByIdRequest,
    response: orderResponse,
    idempotent: false,
  }),
} as const;

export type OrderItem = z.infer<typeof orderItemSchema>;
export type PlaceOrderRequest = z.infer<typeof placeOrderRequest>;
export type GetOrderRequest = z.infer<typeof orderByIdRequest>;
export type CancelOrderRequest = z.infer<typeof orderByIdRequest>;
export type ListOrdersRequest = z.infer<typeof listOrdersRequest>;
export type OrderResponse = z.infer<typeof orderResponse>;
export type PlaceOrderResponse = z.infer<typeof placeOrderResponse>;
export type OrderListResponse = z.infer<typeof orderListResponse>;
