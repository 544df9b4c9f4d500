import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ConcurrencyConflictError } from '@app/ddd';
import { appendToOutbox } from '@app/messaging';
import { violatedUniqueConstraint } from '@app/platform';
import type { UserRepository } from '../application/index.js';
import { EmailTakenError, type Email, type User } from '../domain/index.js';
import { toOutboxMessage } from './users-integration-events.js';
import { USER_COLUMNS, toUser, type UserRow } from './user-row.mapper.js';

const EMAIL_UNIQUE = 'users_email_lower_uq';

/**
 * Users in Postgres with plain SQL (one round trip per statement, no ORM hydration on the hot
 * path). `save` writes the row and the outbox in one transaction and checks the version.
 */
@Injectable()
export class TypeormUserRepository implements UserRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<User | null> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async findByEmail(email: Email): Promise<User | null> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = $1`, [
      email.value,
    ]);
    return rows[0] ? toUser(rows[0]) : null;
  }

  async save(user: User): Promise<void> {
    const events = user.pullEvents();
    try {
      await this.dataSource.transaction(async (manager) => {
        if (user.isNew) await this.insert(manager, user);
        else await this.update(manager, user);
        await appendToOutbox(manager, events.map(toOutboxMessage));
      });
    } catch (error) {
      if (violatedUniqueConstraint(error) === EMAIL_UNIQUE) throw new EmailTakenError();
      throw error;
    }
    user.markPersisted(user.version + 1);
  }

  private async insert(manager: EntityManager, user: User): Promise<void> {
    await manager.query(`INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9)`, [
      user.id,
      user.email.value,
      user.name.value,
      user.passwordHash.value,
      user.role,
      user.creditLimitCents,
      user.creditReservedCents,
      user.createdAt,
      user.updatedAt,
    ]);
  }

  private async update(manager: EntityManager, user: User): Promise<void> {
    const [, affected] = (await manager.query(
      `UPDATE users SET email = $3, name = $4, password_hash = $5, updated_at = $6, version = version + 1
        WHERE id = $1 AND version = $2`,
      [user.id, user.version, user.email.value, user.name.value, user.passwordHash.value, user.updatedAt],
    )) as [unknown, number];
    if (affected !== 1) throw new ConcurrencyConflictError(`user ${user.id} was changed by someone else`);
  }
}
