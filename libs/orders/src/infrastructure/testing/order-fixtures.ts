import { randomUUID } from 'node:crypto';
import { Currency, Order, OrderLine } from '../../domain/index.js';

export const placedAt = new Date('2026-01-02T03:04:05.678Z');

/** A placed (new) order of `userId`: BOOK-1 ×3 at 19.99 and PEN ×1 at 0.01, 59.98 EUR. */
export function aPlacedOrder(userId: string = randomUUID(), now = placedAt): Order {
  return Order.place({
    id: randomUUID(),
    userId,
    lines: [
      OrderLine.create({ sku: 'BOOK-1', quantity: 3, unitPriceCents: 1999 }),
      OrderLine.create({ sku: 'PEN', quantity: 1, unitPriceCents: 1 }),
    ],
    currency: Currency.create('EUR'),
    now,
  });
}

/** Confirms `order` as the saga does: its payment asked for once the credit is reserved, then captured. */
export function confirmAsPaid(order: Order, now: Date): boolean {
  order.requestPayment(now);
  return order.confirm(now);
}

/** Everything an Order holds, as plain values, so two instances can be compared. */
export function snapshot(order: Order | null): Record<string, unknown> | null {
  if (!order) return null;
  return {
    id: order.id,
    version: order.version,
    userId: order.userId,
    status: order.status,
    lines: order.lines.map((line) => line.toPrimitives()),
    currency: order.currency.value,
    totalCents: order.totalCents,
    rejectionReason: order.rejectionReason,
    paymentStatus: order.paymentStatus,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
