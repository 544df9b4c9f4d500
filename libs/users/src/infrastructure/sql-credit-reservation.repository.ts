import { Injectable } from '@nestjs/common';
import { ConcurrencyConflictError } from '@app/ddd';
import { TransactionRunner } from '@app/platform';
import type { CreditReservationRepository } from '../application/index.js';
import { CreditReservation, type CreditReservationStatus } from '../domain/index.js';

interface ReservationRow {
  order_id: string;
  user_id: string;
  amount_cents: string;
  status: CreditReservationStatus;
  created_at: Date;
  updated_at: Date;
}

/**
 * Credit reservations in Postgres with plain SQL. A new reservation is one
 * `INSERT ... ON CONFLICT DO NOTHING`: whether the order had a decision already is the
 * insert's own answer, so nothing is read first.
 */
@Injectable()
export class SqlCreditReservationRepository implements CreditReservationRepository {
  constructor(private readonly transactions: TransactionRunner) {}

  async findByOrderId(orderId: string): Promise<CreditReservation | null> {
    const rows = (await this.transactions.manager.query(
      `SELECT order_id, user_id, amount_cents, status, created_at, updated_at
         FROM credit_reservations WHERE order_id = $1`,
      [orderId],
    )) as ReservationRow[];
    return rows[0] ? toReservation(rows[0]) : null;
  }

  async add(reservation: CreditReservation): Promise<boolean> {
    const rows = (await this.transactions.manager.query(
      `INSERT INTO credit_reservations (order_id, user_id, amount_cents, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [
        reservation.orderId,
        reservation.userId,
        reservation.amountCents,
        reservation.status,
        reservation.createdAt,
        reservation.updatedAt,
      ],
    )) as unknown[];
    if (rows.length === 0) return false;
    this.markPersistedOnCommit(reservation);
    return true;
  }

  /** The one change a stored reservation can make is RESERVED → RELEASED; the guard checks it still is RESERVED. */
  async save(reservation: CreditReservation): Promise<void> {
    const [, affected] = (await this.transactions.manager.query(
      `UPDATE credit_reservations SET status = $2, updated_at = $3 WHERE order_id = $1 AND status = 'RESERVED'`,
      [reservation.orderId, reservation.status, reservation.updatedAt],
    )) as [unknown, number];
    if (affected !== 1) {
      throw new ConcurrencyConflictError(`credit reservation ${reservation.orderId} was changed by someone else`);
    }
    this.markPersistedOnCommit(reservation);
  }

  /** Its events stay until the unit of work commits, for the outbox step that follows the save. */
  private markPersistedOnCommit(reservation: CreditReservation): void {
    this.transactions.afterCommit(() => reservation.markPersisted(reservation.version + 1));
  }
}

function toReservation(row: ReservationRow): CreditReservation {
  return CreditReservation.restore(row.order_id, 1, {
    userId: row.user_id,
    amountCents: Number(row.amount_cents),
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
