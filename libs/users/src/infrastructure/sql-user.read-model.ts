import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserListResponse, UserResponse } from '@app/contracts';
import { decodeCursor, encodeCursor } from '@app/platform';
import type { UserReadModel } from '../application/index.js';
import { USER_COLUMNS, toUserResponseFromRow, type UserRow } from './user-row.mapper.js';

@Injectable()
export class SqlUserReadModel implements UserReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<UserResponse | null> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ? toUserResponseFromRow(rows[0]) : null;
  }

  async list(limit: number, cursor?: string): Promise<UserListResponse> {
    const params: unknown[] = [];
    let where = '';
    if (cursor) {
      const after = decodeCursor(cursor);
      params.push(after.createdAt, after.id);
      where = 'WHERE (created_at, id) > ($1, $2)';
    }
    params.push(limit + 1);
    const rows: UserRow[] = await this.dataSource.query(
      `SELECT ${USER_COLUMNS} FROM users ${where} ORDER BY created_at, id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toUserResponseFromRow),
      nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
    };
  }
}
