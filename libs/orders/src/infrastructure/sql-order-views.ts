import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OrderResponse, OrderStatusValue } from '@app/contracts';
import { decodeCursor, encodeCursor } from '@app/platform';
import type { OrderPage, OrderViews } from '../application/index.js';
import { ORDER_VIEW_COLUMNS, toOrderResponseFromView, type OrderViewRow } from './order-row.mapper.js';

/** Reads `order_views`; lists by keyset (created_at, id) so deep pages cost what the first does. */
@Injectable()
export class SqlOrderViews implements OrderViews {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<OrderResponse | null> {
    const rows = (await this.dataSource.query(`SELECT ${ORDER_VIEW_COLUMNS} FROM order_views WHERE id = $1`, [
      id,
    ])) as OrderViewRow[];
    return rows[0] ? toOrderResponseFromView(rows[0]) : null;
  }

  async listForUser(
    userId: string,
    status: OrderStatusValue | undefined,
    limit: number,
    cursor?: string,
  ): Promise<OrderPage> {
    const params: unknown[] = [userId];
    let where = 'user_id = $1';
    if (status) {
      params.push(status);
      where += ` AND status = $${params.length}`;
    }
    if (cursor) {
      const after = decodeCursor(cursor);
      params.push(after.createdAt, after.id);
      where += ` AND (created_at, id) < ($${params.length - 1}, $${params.length})`;
    }
    params.push(limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT ${ORDER_VIEW_COLUMNS} FROM order_views WHERE ${where}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    )) as OrderViewRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toOrderResponseFromView),
      nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
    };
  }
}
