import type { PaymentDeclineReason } from '@app/contracts';
import type { ClaimedPayment, PaymentOrigin } from '../application/index.js';
import { Payment, type PaymentStatus } from '../domain/index.js';

/** A `payments` row as `pg` returns it (bigint as string). */
export interface PaymentRow {
  id: string;
  order_id: string;
  user_id: string;
  amount_cents: string;
  currency: string;
  status: PaymentStatus;
  provider_charge_id: string | null;
  decline_reason: PaymentDeclineReason | null;
  attempts: number;
  next_attempt_at: Date | null;
  captured_cents: string;
  refunded_cents: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** A row the processor claimed: the payment and the origin of its due work (`jsonb`, parsed by `pg`). */
export interface ClaimedPaymentRow extends PaymentRow {
  origin: PaymentOrigin | null;
}

export const PAYMENT_COLUMNS =
  'id, order_id, user_id, amount_cents, currency, status, provider_charge_id, decline_reason, attempts, ' +
  'next_attempt_at, captured_cents, refunded_cents, version, created_at, updated_at';

export function toPayment(row: PaymentRow): Payment {
  return Payment.restore(row.id, row.version, {
    orderId: row.order_id,
    userId: row.user_id,
    amountCents: Number(row.amount_cents),
    currency: row.currency,
    status: row.status,
    providerChargeId: row.provider_charge_id,
    declineReason: row.decline_reason,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    capturedCents: Number(row.captured_cents),
    refundedCents: Number(row.refunded_cents),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

export function toClaimedPayment(row: ClaimedPaymentRow): ClaimedPayment {
  return { payment: toPayment(row), origin: row.origin };
}
