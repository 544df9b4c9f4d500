import { Injectable } from '@nestjs/common';
import { ConcurrencyConflictError } from '@app/ddd';
import { OutboxWriter } from '@app/messaging';
import { TransactionRunner, sagaOutcomes } from '@app/platform';
import type { OrderRepository } from '../application/index.js';
import type { Order, OrderStatus } from '../domain/index.js';
import { OrderViewProjector } from './order-view.projector.js';
import { toOutboxMessage } from './orders-integration-events.js';
import { toOrder, type OrderRow } from './order-row.mapper.js';

const SELECT_ORDER = `
  SELECT o.id, o.user_id, o.status, o.currency, o.total_cents, o.rejection_reason, o.version, o.created_at, o.updated_at,
         (SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity, 'unitPriceCents', l.unit_price_cents)
                          ORDER BY l.line_no)
            FROM order_lines l WHERE l.order_id = o.id) AS lines
    FROM orders o`;

/**
 * Orders in Postgres with plain SQL. `save` writes the order (checking its version), its read
 * model and its integration events in the current transaction, or a new one.
 */
@Injectable()
export class TypeormOrderRepository implements OrderRepository {
  /** The status each loaded order had, so the projector knows the transition. */
  private readonly loadedStatus = new WeakMap<Order, OrderStatus>();

  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxWriter,
    private readonly projector: OrderViewProjector,
  ) {}

  async findById(id: string): Promise<Order | null> {
    const rows = (await this.transactions.manager.query(`${SELECT_ORDER} WHERE o.id = $1`, [id])) as OrderRow[];
    if (!rows[0]) return null;
    const order = toOrder(rows[0]);
    this.loadedStatus.set(order, order.status);
    return order;
  }

  async findPendingPlacedBefore(placedBefore: Date, limit: number): Promise<string[]> {
    const rows = (await this.transactions.manager.query(
      `SELECT id FROM orders WHERE status = 'PENDING' AND created_at < $1 ORDER BY created_at LIMIT $2`,
      [placedBefore, limit],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }

  async save(order: Order): Promise<void> {
    const events = order.uncommittedEvents;
    await this.transactions.run(async () => {
      if (order.isNew) await this.insert(order);
      else await this.update(order);
      await this.projector.project(order, this.loadedStatus.get(order) ?? null);
      await this.outbox.append(events.flatMap(toOutboxMessage));
      this.countSettlement(order, this.loadedStatus.get(order) ?? null);
    });
    order.markPersisted(order.version + 1);
    this.loadedStatus.set(order, order.status);
  }

  /** Saga outcomes for the dashboards, counted once the settling transaction commits. */
  private countSettlement(order: Order, previous: OrderStatus | null): void {
    if (previous === order.status || order.status === 'PENDING') return;
    const outcome = order.status.toLowerCase();
    const reason = order.status === 'REJECTED' ? (order.rejectionReason ?? '') : '';
    this.transactions.afterCommit(() => sagaOutcomes.inc({ outcome, reason }));
  }

  private async insert(order: Order): Promise<void> {
    const manager = this.transactions.manager;
    await manager.query(
      `INSERT INTO orders (id, user_id, status, currency, total_cents, rejection_reason, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)`,
      [
        order.id,
        order.userId,
        order.status,
        order.currency.value,
        order.totalCents,
        order.rejectionReason,
        order.createdAt,
        order.updatedAt,
      ],
    );
    const lines = order.lines.map((line) => line.toPrimitives());
    await manager.query(
      `INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price_cents)
       SELECT $1, n, sku, quantity, price FROM unnest($2::text[], $3::int[], $4::bigint[]) WITH ORDINALITY AS l(sku, quantity, price, n)`,
      [order.id, lines.map((l) => l.sku), lines.map((l) => l.quantity), lines.map((l) => l.unitPriceCents)],
    );
  }

  private async update(order: Order): Promise<void> {
    const [, affected] = (await this.transactions.manager.query(
      `UPDATE orders SET status = $3, rejection_reason = $4, updated_at = $5, version = version + 1
        WHERE id = $1 AND version = $2`,
      [order.id, order.version, order.status, order.rejectionReason, order.updatedAt],
    )) as [unknown, number];
    if (affected !== 1) throw new ConcurrencyConflictError(`order ${order.id} was changed by someone else`);
  }
}
