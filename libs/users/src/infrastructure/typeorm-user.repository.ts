import { Injectable } from '@nestjs/common';
import { ConcurrencyConflictError, type DomainEvent } from '@app/ddd';
import { OutboxWriter } from '@app/messaging';
import { TransactionRunner, violatedUniqueConstraint } from '@app/platform';
import type { UserRepository } from '../application/index.js';
import {
  CreditRejectedEvent,
  CreditReleasedEvent,
  CreditReservedEvent,
  EmailTakenError,
  type Email,
  type User,
} from '../domain/index.js';
import { toOutboxMessage } from './users-integration-events.js';
import { USER_COLUMNS, toUser, type UserRow } from './user-row.mapper.js';

const EMAIL_UNIQUE = 'users_email_lower_uq';

/**
 * Users in Postgres with plain SQL (no ORM hydration on the hot path). `save` writes the row
 * (checking the version), the credit reservations its events imply, and its integration
 * events to the outbox, in the current transaction or a new one.
 */
@Injectable()
export class TypeormUserRepository implements UserRepository {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxWriter,
  ) {}

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
    const events = user.uncommittedEvents;
    try {
      await this.transactions.run(async () => {
        if (user.isNew) await this.insert(user);
        else await this.update(user);
        for (const event of events) await this.recordReservation(user.id, event);
        await this.outbox.append(events.flatMap(toOutboxMessage));
      });
    } catch (error) {
      if (violatedUniqueConstraint(error) === EMAIL_UNIQUE) throw new EmailTakenError();
      throw error;
    }
    user.markPersisted(user.version + 1);
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

  /** Keeps `credit_reservations` in step with the credit the aggregate reserved or released. */
  private async recordReservation(userId: string, event: DomainEvent): Promise<void> {
    const manager = this.transactions.manager;
    if (event instanceof CreditReservedEvent || event instanceof CreditRejectedEvent) {
      await manager.query(
        `INSERT INTO credit_reservations (order_id, user_id, amount_cents, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)`,
        [
          event.orderId,
          userId,
          event.amountCents,
          event instanceof CreditReservedEvent ? 'RESERVED' : 'REJECTED',
          event.occurredAt,
        ],
      );
    } else if (event instanceof CreditReleasedEvent) {
      await manager.query(
        `UPDATE credit_reservations SET status = 'RELEASED', updated_at = $2 WHERE order_id = $1 AND status = 'RESERVED'`,
        [event.orderId, event.occurredAt],
      );
    }
  }
}
