import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { UserResponse } from '@app/contracts';
import type { UserReadModel } from '../application/index.js';
import { USER_COLUMNS, toUserResponseFromRow, type UserRow } from './user-row.mapper.js';

@Injectable()
export class SqlUserReadModel implements UserReadModel {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<UserResponse | null> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ? toUserResponseFromRow(rows[0]) : null;
  }
}
