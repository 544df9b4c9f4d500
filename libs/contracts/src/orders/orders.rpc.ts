import type { Authenticated } from '../rpc/actor.js';

export const OrdersRpc = {
  place: 'orders.place',
  get: 'orders.get',
  list: 'orders.list',
  cancel: 'orders.cancel',
} as const;

export const OrdersErrorCodes = {
  orderNotFound: 'ORDER_NOT_FOUND',
  orderNotCancellable: 'ORDER_NOT_CANCELLABLE',
  idempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
} as const;

export const OrderStatuses = ['PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED'] as const;
export type OrderStatusValue = (typeof OrderStatuses)[number];

export const ORDERS_PAGE_MAX = 100;
export const ORDERS_PAGE_DEFAULT = 20;

export interface OrderItem {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface PlaceOrderRequest extends Authenticated {
  /** Client-chosen, 1..128 characters; the same key with the same body returns the first answer. */
  idempotencyKey: string;
  currency: string;
  items: OrderItem[];
}

export interface GetOrderRequest extends Authenticated {
  orderId: string;
}

export interface ListOrdersRequest extends Authenticated {
  status?: OrderStatusValue;
  limit?: number;
  cursor?: string;
}

export interface CancelOrderRequest extends Authenticated {
  orderId: string;
}

/** An order as every API shows it. */
export interface OrderResponse {
  id: string;
  userId: string;
  status: OrderStatusValue;
  items: OrderItem[];
  totalCents: number;
  currency: string;
  rejectionReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * The answer to `orders.place`: the order as the key's first request answered it, and whether
 * this request was a replay of that one (same key, same body: nothing new was placed).
 */
export interface PlaceOrderResponse {
  order: OrderResponse;
  replayed: boolean;
}

export interface OrderListResponse {
  items: OrderResponse[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}
