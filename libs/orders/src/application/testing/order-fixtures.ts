import type { Actor } from '@app/contracts';
import { Currency, Order, OrderLine, type OrderPaymentStatus, type OrderStatus } from '../../domain/index.js';

export const owner: Actor = { id: '0b7e0d5e-2a51-4c3f-9d0c-7c7c6b1f4e11', role: 'user' };
export const stranger: Actor = { id: '7c7c6b1f-4e11-4c3f-9d0c-0b7e0d5e2a51', role: 'user' };
export const admin: Actor = { id: '1f0e2d3c-4b5a-4e8a-9c6d-9a1e4c7d3b2f', role: 'admin' };
export const placedAt = new Date('2026-01-01T00:00:00Z');

let next = 0;
/** A fresh order id for each call, so cases never share one. */
export function anOrderId(): string {
  next += 1;
  return `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`;
}

/** What the saga leaves an order's payment at by default: CAPTURED once CONFIRMED, else not asked for yet. */
function paymentStatusOf(status: OrderStatus): OrderPaymentStatus {
  return status === 'CONFIRMED' ? 'CAPTURED' : 'NOT_REQUESTED';
}

/** An order of `owner` (5998 cents) as stored after earlier steps: version 1 when PENDING, 2 once settled. */
export function aStoredOrder(
  status: OrderStatus = 'PENDING',
  createdAt = placedAt,
  paymentStatus: OrderPaymentStatus = paymentStatusOf(status),
): Order {
  return Order.restore(anOrderId(), status === 'PENDING' ? 1 : 2, {
    userId: owner.id,
    lines: [
      OrderLine.create({ sku: 'BOOK-1', quantity: 3, unitPriceCents: 1999 }),
      OrderLine.create({ sku: 'PEN', quantity: 1, unitPriceCents: 1 }),
    ],
    currency: Currency.create('EUR'),
    totalCents: 5998,
    status,
    rejectionReason: status === 'REJECTED' ? 'INSUFFICIENT_CREDIT' : null,
    paymentStatus,
    createdAt,
    updatedAt: createdAt,
  });
}
