import { Injectable } from '@nestjs/common';
import { ConcurrencyConflictError } from '@app/ddd';
import { TransactionRunner } from '@app/platform';
import type { OrderRepository } from '../application/index.js';
import type { Order } from '../domain/index.js';
import { toOrder, type OrderRow } from './order-row.mapper.js';

const SELECT_ORDER = `
  SELECT o.id, o.user_id, o.status, o.currency, o.total_cents, o.rejection_reason, o.payment_status, o.version, o.created_at, o.updated_at,
         (SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity, 'unitPriceCents', l.unit_price_cents)
                          ORDER BY l.line_no)
            FROM order_lines l WHERE l.order_id = o.id) AS lines
    FROM orders o`;

// One statement for the order and its lines: the lines' insert reads the order's from a CTE.
const INSERT_ORDER_WITH_LINES = `
  WITH inserted AS (
    INSERT INTO orders (id, user_id, status, currency, total_cents, rejection_reason, payment_status, version, created_at, updated_at)
    VALUES ($1::uuid, $2, $3, $4, $5, $6, $12, 1, $7, $8)
    RETURNING id
  )
  INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price_cents)
  SELECT inserted.id, l.n, l.sku, l.quantity, l.price
    FROM inserted, unnest($9::text[], $10::int[], $11::bigint[]) WITH ORDINALITY AS l(sku, quantity, price, n)`;

/**
 * Orders in Postgres with plain SQL. `save` writes the order's own tables, one statement for a
 * new order with its lines and one version-checked update for a changed one; nothing else.
 */
@Injectable()
export class TypeormOrderRepository implements OrderRepository {
  constructor(private readonly transactions: TransactionRunner) {}

  async findById(id: string): Promise<Order | null> {
    const rows = (await this.transactions.manager.query(`${SELECT_ORDER} WHERE o.id = $1`, [id])) as OrderRow[];
    return rows[0] ? toOrder(rows[0]) : null;
  }

  async findPendingPlacedBefore(placedBefore: Date, limit: number): Promise<string[]> {
    const rows = (await this.transactions.manager.query(
      `SELECT id FROM orders WHERE status = 'PENDING' AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [placedBefore, limit],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }

  async save(order: Order): Promise<void> {
    if (order.isNew) await this.insert(order);
    else await this.update(order);
    // Its events stay until the unit of work commits, for the outbox step that follows the save.
    this.transactions.afterCommit(() => order.markPersisted(order.version + 1));
  }

  private async insert(order: Order): Promise<void> {
    const lines = order.lines;
    await this.transactions.manager.query(INSERT_ORDER_WITH_LINES, [
      order.id,
      order.userId,
      order.status,
      order.currency.value,
      order.totalCents,
      order.rejectionReason,
      order.createdAt,
      order.updatedAt,
      lines.map((line) => line.sku),
      lines.map((line) => line.quantity),
      lines.map((line) => line.unitPriceCents),
      order.paymentStatus,
    ]);
  }

  private async update(order: Order): Promise<void> {
    const [, affected] = (await this.transactions.manager.query(
      `UPDATE orders SET status = $3, rejection_reason = $4, payment_status = $5, updated_at = $6, version = version + 1
        WHERE id = $1 AND version = $2`,
      [order.id, order.version, order.status, order.rejectionReason, order.paymentStatus, order.updatedAt],
    )) as [unknown, number];
    if (affected !== 1) throw new ConcurrencyConflictError(`order ${order.id} was changed by someone else`);
  }
}
