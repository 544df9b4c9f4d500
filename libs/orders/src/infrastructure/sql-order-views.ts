import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { OrderResponse, OrderStatusValue } from '@app/contracts';
import { ValidationFailedError } from '@app/ddd';
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
      nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || !UUID.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new ValidationFailedError('cursor is not one this API returned', {
      fields: [{ field: 'cursor', message: 'is invalid' }],
    });
  }
  return { createdAt, id };
}
