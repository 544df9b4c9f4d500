import { Injectable } from '@nestjs/common';
import { UsersEvents } from '@app/contracts';
import { OutboxWriter, outboxMessageOf } from '@app/messaging';
import { TransactionRunner } from '@app/platform';
import type { CreditReservation, CreditReservations } from '../application/index.js';

interface ReservationRow {
  order_id: string;
  user_id: string;
  amount_cents: string;
  status: CreditReservation['status'];
}

@Injectable()
export class SqlCreditReservations implements CreditReservations {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxWriter,
  ) {}

  async find(orderId: string): Promise<CreditReservation | null> {
    const rows = (await this.transactions.manager.query(
      'SELECT order_id, user_id, amount_cents, status FROM credit_reservations WHERE order_id = $1',
      [orderId],
    )) as ReservationRow[];
    const row = rows[0];
    return row
      ? { orderId: row.order_id, userId: row.user_id, amountCents: Number(row.amount_cents), status: row.status }
      : null;
  }

  rejectForUnknownUser(orderId: string, userId: string, amountCents: number): Promise<void> {
    return this.transactions.run(async () => {
      if (!(await this.insert(orderId, userId, amountCents, 'REJECTED'))) return;
      await this.outbox.append([
        outboxMessageOf(UsersEvents.creditRejected, new Date(), { orderId, userId, reason: 'USER_NOT_FOUND' }),
      ]);
    });
  }

  async releaseUnreserved(orderId: string, userId: string): Promise<void> {
    await this.insert(orderId, userId, 0, 'RELEASED');
  }

  private async insert(orderId: string, userId: string, amountCents: number, status: string): Promise<boolean> {
    const rows = (await this.transactions.manager.query(
      `INSERT INTO credit_reservations (order_id, user_id, amount_cents, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, now(), now()) ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [orderId, userId, amountCents, status],
    )) as unknown[];
    return rows.length === 1;
  }
}
