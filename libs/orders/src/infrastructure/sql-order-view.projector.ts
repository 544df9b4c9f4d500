import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '@app/platform';
import type { OrderViewProjector } from '../application/index.js';
import type { Order } from '../domain/index.js';

/**
 * Projects an order's state as it is now (not event by event: a timed-out order records both
 * OrderRejected and OrderCancelled, yet is REJECTED): a new order's row, or a saved one's new
 * status. One statement either way. Per-user counts are not kept here: `user_order_stats` is a
 * view over `order_views`, so no row is shared by all of one account's orders.
 */
@Injectable()
export class SqlOrderViewProjector implements OrderViewProjector {
  constructor(private readonly transactions: TransactionRunner) {}

  async project(order: Order): Promise<void> {
    if (order.isNew) await this.insert(order);
    else await this.update(order);
  }

  private async insert(order: Order): Promise<void> {
    await this.transactions.manager.query(
      `INSERT INTO order_views
         (id, user_id, status, items, total_cents, currency, rejection_reason, payment_status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        order.id,
        order.userId,
        order.status,
        JSON.stringify(order.lines.map((line) => line.toPrimitives())),
        order.totalCents,
        order.currency.value,
        order.rejectionReason,
        order.paymentStatus,
        order.createdAt,
        order.updatedAt,
      ],
    );
  }

  private async update(order: Order): Promise<void> {
    const [, affected] = (await this.transactions.manager.query(
      `UPDATE order_views SET status = $2, rejection_reason = $3, payment_status = $4, updated_at = $5 WHERE id = $1`,
      [order.id, order.status, order.rejectionReason, order.paymentStatus, order.updatedAt],
    )) as [unknown, number];
    // The view was written with the order; a missing row is a bug to see, not to paper over.
    if (affected !== 1) throw new Error(`order_views has no row for order ${order.id}`);
  }
}
