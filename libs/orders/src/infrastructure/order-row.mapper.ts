import type { OrderPaymentStatusValue, OrderResponse, OrderStatusValue } from '@app/contracts';
import {
  Currency,
  Order,
  OrderLine,
  type OrderLinePrimitives,
  type OrderPaymentStatus,
  type OrderStatus,
} from '../domain/index.js';

/** An `orders` row with its lines aggregated, as `pg` returns it (bigint as string). */
export interface OrderRow {
  id: string;
  user_id: string;
  status: OrderStatus;
  currency: string;
  total_cents: string;
  rejection_reason: string | null;
  payment_status: OrderPaymentStatus;
  version: number;
  created_at: Date;
  updated_at: Date;
  lines: OrderLinePrimitives[];
}

export function toOrder(row: OrderRow): Order {
  return Order.restore(row.id, row.version, {
    userId: row.user_id,
    lines: row.lines.map((line) => OrderLine.create(line)),
    currency: Currency.create(row.currency),
    totalCents: Number(row.total_cents),
    status: row.status,
    rejectionReason: row.rejection_reason,
    paymentStatus: row.payment_status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** An `order_views` row. */
export interface OrderViewRow {
  id: string;
  user_id: string;
  status: OrderStatusValue;
  items: OrderLinePrimitives[];
  total_cents: string;
  currency: string;
  rejection_reason: string | null;
  payment_status: OrderPaymentStatusValue;
  created_at: Date;
  updated_at: Date;
}

export const ORDER_VIEW_COLUMNS =
  'id, user_id, status, items, total_cents, currency, rejection_reason, payment_status, created_at, updated_at';

export function toOrderResponseFromView(row: OrderViewRow): OrderResponse {
  return {
    id: row.id,
    userId: row.user_id,
    status: row.status,
    items: row.items.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
    totalCents: Number(row.total_cents),
    currency: row.currency,
    rejectionReason: row.rejection_reason,
    paymentStatus: row.payment_status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
