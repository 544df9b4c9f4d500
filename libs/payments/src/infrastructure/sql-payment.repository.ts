import { Injectable } from '@nestjs/common';
import { ConcurrencyConflictError } from '@app/ddd';
import { TransactionRunner, violatedUniqueConstraint } from '@app/platform';
import type { PaymentRepository } from '../application/index.js';
import type { Payment } from '../domain/index.js';
import { PAYMENT_COLUMNS, toPayment, type PaymentRow } from './payment-row.mapper.js';

// The claim is one statement: rows locked by a concurrent claim are skipped, not waited for,
// and the lease is committed before any provider call, so no second processor takes them.
const CLAIM_DUE = `
  UPDATE payments SET lease_until = $1::timestamptz + make_interval(secs => $2::double precision / 1000),
                      attempts = attempts + 1, version = version + 1
   WHERE id IN (SELECT id FROM payments
                 WHERE next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
                 ORDER BY next_attempt_at
                 LIMIT $3
                 FOR UPDATE SKIP LOCKED)
     AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
  RETURNING ${PAYMENT_COLUMNS}`;

/** Payments in Postgres with plain SQL: `save` writes the `payments` row, version checked, and nothing else. */
@Injectable()
export class SqlPaymentRepository implements PaymentRepository {
  constructor(private readonly transactions: TransactionRunner) {}

  async findByOrderId(orderId: string): Promise<Payment | null> {
    const rows = (await this.transactions.manager.query(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE order_id = $1`, [
      orderId,
    ])) as PaymentRow[];
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async claimDue(now: Date, leaseMs: number, limit: number): Promise<Payment[]> {
    const [rows] = (await this.transactions.manager.query(CLAIM_DUE, [now, leaseMs, limit])) as [PaymentRow[], number];
    return rows.map(toPayment);
  }

  async save(payment: Payment, options: { releaseLease?: boolean } = {}): Promise<void> {
    if (payment.isNew) await this.insert(payment);
    else await this.update(payment, options.releaseLease ?? false);
    // Its events stay until the unit of work commits, for the outbox step that follows the save.
    this.transactions.afterCommit(() => payment.markPersisted(payment.version + 1));
  }

  private async insert(payment: Payment): Promise<void> {
    try {
      await this.transactions.manager.query(
        `INSERT INTO payments (id, order_id, user_id, amount_cents, currency, status, provider_charge_id, decline_reason,
                               attempts, next_attempt_at, captured_cents, refunded_cents, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14)`,
        [payment.id, payment.orderId, ...this.stateOf(payment), payment.createdAt, payment.updatedAt],
      );
    } catch (error) {
      if (violatedUniqueConstraint(error) !== null) {
        throw new ConcurrencyConflictError(`order ${payment.orderId} got its payment from someone else`);
      }
      throw error;
    }
  }

  private async update(payment: Payment, releaseLease: boolean): Promise<void> {
    const [, affected] = (await this.transactions.manager.query(
      `UPDATE payments
          SET user_id = $3, amount_cents = $4, currency = $5, status = $6, provider_charge_id = $7, decline_reason = $8,
              attempts = $9, next_attempt_at = $10, captured_cents = $11, refunded_cents = $12, updated_at = $13,
              lease_until = CASE WHEN $14::boolean THEN NULL ELSE lease_until END, version = version + 1
        WHERE id = $1 AND version = $2`,
      [payment.id, payment.version, ...this.stateOf(payment), payment.updatedAt, releaseLease],
    )) as [unknown, number];
    if (affected !== 1) throw new ConcurrencyConflictError(`payment ${payment.id} was changed by someone else`);
  }

  private stateOf(payment: Payment): unknown[] {
    return [
      payment.userId,
      payment.amountCents,
      payment.currency,
      payment.status,
      payment.providerChargeId,
      payment.declineReason,
      payment.attempts,
      payment.nextAttemptAt,
      payment.capturedCents,
      payment.refundedCents,
    ];
  }
}
