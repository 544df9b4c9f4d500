import { Injectable } from '@nestjs/common';
import { ConcurrencyConflictError } from '@app/ddd';
import { TransactionRunner, violatedUniqueConstraint } from '@app/platform';
import type { ClaimedPayment, PaymentRepository } from '../application/index.js';
import type { Payment } from '../domain/index.js';
import { currentPaymentOrigin } from './message-work-origin.js';
import {
  PAYMENT_COLUMNS,
  toClaimedPayment,
  toPayment,
  type ClaimedPaymentRow,
  type PaymentRow,
} from './payment-row.mapper.js';

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
  RETURNING ${PAYMENT_COLUMNS}, origin`;

/**
 * Payments in Postgres with plain SQL: `save` writes the `payments` row, version checked, and
 * nothing else. Like the outbox writer, it reads the message being handled itself: a handler's
 * save stamps the row with that message as the origin of its due work (the domain knows nothing of it).
 */
@Injectable()
export class SqlPaymentRepository implements PaymentRepository {
  constructor(private readonly transactions: TransactionRunner) {}

  async findByOrderId(orderId: string): Promise<Payment | null> {
    const rows = (await this.transactions.manager.query(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE order_id = $1`, [
      orderId,
    ])) as PaymentRow[];
    return rows[0] ? toPayment(rows[0]) : null;
  }

  async claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedPayment[]> {
    const [rows] = (await this.transactions.manager.query(CLAIM_DUE, [now, leaseMs, limit])) as [
      ClaimedPaymentRow[],
      number,
    ];
    return rows.map(toClaimedPayment);
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
                               attempts, next_attempt_at, captured_cents, refunded_cents, version, created_at, updated_at,
                               origin)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14, $15)`,
        [
          payment.id,
          payment.orderId,
          ...this.stateOf(payment),
          payment.createdAt,
          payment.updatedAt,
          currentPaymentOrigin(),
        ],
      );
    } catch (error) {
      if (violatedUniqueConstraint(error) !== null) {
        throw new ConcurrencyConflictError(`order ${payment.orderId} got its payment from someone else`);
      }
      throw error;
    }
  }

  private async update(payment: Payment, releaseLease: boolean): Promise<void> {
    // The processor's answers keep the origin their work came with; a handler's change (a
    // cancellation making a refund due) is the new origin.
    const origin = releaseLease ? null : currentPaymentOrigin();
    const [, affected] = (await this.transactions.manager.query(
      `UPDATE payments
          SET user_id = $3, amount_cents = $4, currency = $5, status = $6, provider_charge_id = $7, decline_reason = $8,
              attempts = $9, next_attempt_at = $10, captured_cents = $11, refunded_cents = $12, updated_at = $13,
              lease_until = CASE WHEN $14::boolean THEN NULL ELSE lease_until END,
              origin = COALESCE($15::jsonb, origin), version = version + 1
        WHERE id = $1 AND version = $2`,
      [payment.id, payment.version, ...this.stateOf(payment), payment.updatedAt, releaseLease, origin],
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
