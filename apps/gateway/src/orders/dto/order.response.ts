import type { OrderItem, OrderListResponse, OrderResponse, OrderStatusValue } from '@app/contracts';

export class OrderItemView implements OrderItem {
  sku!: string;
  quantity!: number;
  unitPriceCents!: number;
}

export class OrderView implements OrderResponse {
  id!: string;
  userId!: string;
  status!: OrderStatusValue;
  items!: OrderItemView[];
  /** Sum of quantity × unitPriceCents, in cents. */
  totalCents!: number;
  /** ISO 4217, e.g. EUR. */
  currency!: string;
  /** Why it was REJECTED: INSUFFICIENT_CREDIT, USER_NOT_FOUND or SAGA_TIMEOUT. */
  rejectionReason!: string | null;
  createdAt!: string;
  updatedAt!: string;
}

export class OrderPage implements OrderListResponse {
  items!: OrderView[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor!: string | null;
}
