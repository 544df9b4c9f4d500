import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@app/platform';
import type { Order, OrderStatus } from '../domain/index.js';

/** Counters of user_order_stats that track how many orders are in a status now. */
const STATUS_COUNTER: Partial<Record<OrderStatus, string>> = {
  CONFIRMED: 'confirmed',
  REJECTED: 'rejected',
  CANCELLED: 'cancelled',
};

/**
 * Keeps the read model in step with the write side, in the same transaction as the order's
 * save: reads of one's own just-placed order are immediate, and the view can never disagree
 * with the order. It projects the order's new state (not event by event: a timed-out order
 * records both OrderRejected and OrderCancelled, yet is REJECTED).
 */
@Injectable()
export class OrderViewProjector {
  constructor(private readonly transactions: TransactionRunner) {}

  async project(order: Order, previous: OrderStatus | null): Promise<void> {
    const manager = this.transactions.manager;
    await manager.query(
      `INSERT INTO order_views (id, user_id, status, items, total_cents, currency, rejection_reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, rejection_reason = excluded.rejection_reason,
                                      updated_at = excluded.updated_at`,
      [
        order.id,
        order.userId,
        order.status,
        JSON.stringify(order.lines.map((line) => line.toPrimitives())),
        order.totalCents,
        order.currency.value,
        order.rejectionReason,
        order.createdAt,
        order.updatedAt,
      ],
    );
    if (previous === order.status) return;
    const deltas = new Map<string, number>();
    if (previous === null) deltas.set('placed', 1);
    const before = previous ? STATUS_COUNTER[previous] : undefined;
    const after = STATUS_COUNTER[order.status];
    if (before) deltas.set(before, -1);
    if (after) deltas.set(after, 1);
    const confirmedDelta =
      (order.status === 'CONFIRMED' ? order.totalCents : 0) - (previous === 'CONFIRMED' ? order.totalCents : 0);
    const columns = [...deltas.keys()];
    await manager.query(
      `INSERT INTO user_order_stats (user_id, ${[...columns, 'confirmed_total_cents'].join(', ')})
       VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}${columns.length ? ', ' : ''}$${columns.length + 2})
       ON CONFLICT (user_id) DO UPDATE SET ${[...columns, 'confirmed_total_cents']
         .map((column) => `${column} = user_order_stats.${column} + excluded.${column}`)
         .join(', ')}`,
      [order.userId, ...deltas.values(), confirmedDelta],
    );
  }
}
