import { Injectable } from '@nestjs/common';
import { ConcurrencyConflictError } from '@app/ddd';
import { TransactionRunner, violatedUniqueConstraint } from '@app/platform';
import type { UserRepository } from '../application/index.js';
import { EmailTakenError, type Email, type User } from '../domain/index.js';
import { USER_COLUMNS, toUser, type UserRow } from './user-row.mapper.js';

const EMAIL_UNIQUE = 'users_email_lower_uq';

/**
 * Users in Postgres with plain SQL (no ORM hydration on the hot path). `save` writes the row,
 * checking the version, and nothing else: the user's events stay on it until the unit of work
 * commits, for the handler's outbox step.
 */
@Injectable()
export class TypeormUserRepository implements UserRepository {
  constructor(private readonly transactions: TransactionRunner) {}

  findById(id: string): Promise<User | null> {
    return this.findOne(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  }

  findByIdForUpdate(id: string): Promise<User | null> {
    if (!this.transactions.inTransaction) throw new Error('findByIdForUpdate needs a unit of work');
    return this.findOne(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id]);
  }

  findByEmail(email: Email): Promise<User | null> {
    return this.findOne(`SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = $1`, [email.value]);
  }

  async save(user: User): Promise<void> {
    try {
      if (user.isNew) await this.insert(user);
      else await this.update(user);
    } catch (error) {
      if (violatedUniqueConstraint(error) === EMAIL_UNIQUE) throw new EmailTakenError();
      throw error;
    }
    this.transactions.afterCommit(() => user.markPersisted(user.version + 1));
  }

  private async findOne(sql: string, params: unknown[]): Promise<User | null> {
    const rows = (await this.transactions.manager.query(sql, params)) as UserRow[];
    return rows[0] ? toUser(rows[0]) : null;
  }

  private async insert(user: User): Promise<void> {
    await this.transactions.manager.query(
      `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9)`,
      [
        user.id,
        user.email.value,
        user.name.value,
        user.passwordHash.value,
        user.role,
        user.creditLimitCents,
        user.creditReservedCents,
        user.createdAt,
        user.updatedAt,
      ],
    );
  }

  private async update(user: User): Promise<void> {
    const [, affected] = (await this.transactions.manager.query(
      `UPDATE users SET email = $3, name = $4, password_hash = $5, credit_reserved_cents = $6, updated_at = $7,
              version = version + 1
        WHERE id = $1 AND version = $2`,
      [
        user.id,
        user.version,
        user.email.value,
        user.name.value,
        user.passwordHash.value,
        user.creditReservedCents,
        user.updatedAt,
      ],
    )) as [unknown, number];
    if (affected !== 1) throw new ConcurrencyConflictError(`user ${user.id} was changed by someone else`);
  }
}
