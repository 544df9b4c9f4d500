import type { OrderResponse } from '@app/contracts';
import type { Order } from '../domain/index.js';

/** The API's view of an order; lists its fields explicitly. */
export function toOrderResponse(order: Order): OrderResponse {
  return {
    id: order.id,
    userId: order.userId,
    status: order.status,
    items: order.lines.map((line) => line.toPrimitives()),
    totalCents: order.totalCents,
    currency: order.currency.value,
    rejectionReason: order.rejectionReason,
    paymentStatus: order.paymentStatus,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
