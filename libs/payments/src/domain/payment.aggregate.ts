import type { PaymentDeclineReason } from '@app/contracts';
import { AggregateRoot, ValidationFailedError } from '@app/ddd';
import { captureKeyOf, refundKeyOf } from './payment-keys.js';
import type { PaymentStatus } from './payment-status.js';
import { PaymentCapturedEvent } from './payment-captured.domain-event.js';
import { PaymentDeclinedEvent } from './payment-declined.domain-event.js';
import { PaymentRefundedEvent } from './payment-refunded.domain-event.js';
import { PaymentVoidedEvent } from './payment-voided.domain-event.js';

/** ISO 4217's "no currency": the tombstone of an order cancelled before its payment was asked for. */
const NO_CURRENCY = 'XXX';

export interface PaymentState {
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  status: PaymentStatus;
  providerChargeId: string | null;
  declineReason: PaymentDeclineReason | null;
  /** Provider calls begun (counted when the processor claims the payment, before it calls). */
  attempts: number;
  /** When the processor should next call the provider; null when nothing is left to ask. */
  nextAttemptAt: Date | null;
  capturedCents: number;
  refundedCents: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RequestPaymentInput {
  id: string;
  orderId: string;
  userId: string;
  amountCents: number;
  currency: string;
  now: Date;
}

/** What the processor asks the provider for this payment, if anything. */
export type ProviderWork = 'capture' | 'refund' | null;

/**
 * The payment of one order. PENDING until the provider answers the capture; CAPTURED can be
 * refunded (REFUND_PENDING → REFUNDED); DECLINED, VOIDED and REFUNDED are final for the order.
 * A VOIDED payment that the provider may have charged (a call was begun) keeps a next attempt
 * until the processor made sure nothing stays charged. Every method that a redelivered or late
 * message (or a late provider answer) may trigger returns `false` when it changed nothing.
 */
export class Payment extends AggregateRoot {
  private constructor(
    id: string,
    version: number,
    private state: PaymentState,
  ) {
    super(id, version);
  }

  /** The orders saga asks for the order's total: PENDING, due at once. */
  static request(input: RequestPaymentInput): Payment {
    if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) {
      throw new ValidationFailedError('amountCents must be a positive whole number of cents', {
        fields: [{ field: 'amountCents', message: 'must be a positive whole number of cents' }],
      });
    }
    return new Payment(input.id, 0, {
      ...blank(input.orderId, input.userId, input.now),
      amountCents: input.amountCents,
      currency: input.currency,
      status: 'PENDING',
      nextAttemptAt: input.now,
    });
  }

  /** The order ended before its payment was asked for: a VOIDED tombstone, so a late request charges nothing. */
  static voidBeforeRequest(input: { id: string; orderId: string; userId: string; now: Date }): Payment {
    return new Payment(input.id, 0, {
      ...blank(input.orderId, input.userId, input.now),
      amountCents: 0,
      currency: NO_CURRENCY,
      status: 'VOIDED',
      nextAttemptAt: null,
    });
  }

  /** Rebuilds a payment from storage; records nothing. */
  static restore(id: string, version: number, state: PaymentState): Payment {
    return new Payment(id, version, { ...state });
  }

  get orderId(): string {
    return this.state.orderId;
  }
  get userId(): string {
    return this.state.userId;
  }
  get amountCents(): number {
    return this.state.amountCents;
  }
  get currency(): string {
    return this.state.currency;
  }
  get status(): PaymentStatus {
    return this.state.status;
  }
  get providerChargeId(): string | null {
    return this.state.providerChargeId;
  }
  get declineReason(): PaymentDeclineReason | null {
    return this.state.declineReason;
  }
  get attempts(): number {
    return this.state.attempts;
  }
  get nextAttemptAt(): Date | null {
    return this.state.nextAttemptAt;
  }
  get capturedCents(): number {
    return this.state.capturedCents;
  }
  get refundedCents(): number {
    return this.state.refundedCents;
  }
  get createdAt(): Date {
    return this.state.createdAt;
  }
  get updatedAt(): Date {
    return this.state.updatedAt;
  }
  get captureKey(): string {
    return captureKeyOf(this.state.orderId);
  }
  get refundKey(): string {
    return refundKeyOf(this.state.orderId);
  }

  /**
   * A request that finds the tombstone its order's cancellation left: nothing is charged, the
   * request's amount is kept (so a copy of it finds a payment, not a tombstone) and the void is
   * announced once. Anything else already answered the request.
   */
  answerLateRequest(amountCents: number, currency: string, now: Date): boolean {
    if (this.state.status !== 'VOIDED' || this.state.amountCents !== 0) return false;
    this.state = { ...this.state, amountCents, currency, updatedAt: now };
    this.recordVoided(now);
    return true;
  }

  /** Whether `userId` is the customer this payment charges. */
  belongsTo(userId: string): boolean {
    return this.state.userId === userId;
  }

  /** What the processor has to ask the provider: a capture while PENDING, a refund (or a check) otherwise. */
  get providerWork(): ProviderWork {
    if (this.state.nextAttemptAt === null) return null;
    if (this.state.status === 'PENDING') return 'capture';
    return this.state.status === 'VOIDED' || this.state.status === 'REFUND_PENDING' ? 'refund' : null;
  }

  /**
   * The order was cancelled (or timed out). PENDING → VOIDED: kept due when a provider call was
   * begun, so the processor refunds whatever it may have charged. CAPTURED → REFUND_PENDING.
   * Anything else is already compensated or never charged.
   */
  compensate(now: Date): boolean {
    if (this.state.status === 'PENDING') {
      const providerAsked = this.state.attempts > 0;
      this.state = { ...this.state, status: 'VOIDED', nextAttemptAt: providerAsked ? now : null, updatedAt: now };
      // Never asked of the provider: nothing can have been charged, so the void is final now.
      if (!providerAsked) this.recordVoided(now);
      return true;
    }
    if (this.state.status === 'CAPTURED') {
      this.state = { ...this.state, status: 'REFUND_PENDING', nextAttemptAt: now, updatedAt: now };
      return true;
    }
    return false;
  }

  /**
   * The provider charged the capture key. PENDING → CAPTURED. A payment voided meanwhile must
   * not keep the money: → REFUND_PENDING. A repeated answer changes nothing.
   */
  recordCapture(chargeId: string, now: Date): boolean {
    if (this.state.status === 'PENDING') {
      this.state = {
        ...this.state,
        status: 'CAPTURED',
        providerChargeId: chargeId,
        capturedCents: this.state.amountCents,
        nextAttemptAt: null,
        updatedAt: now,
      };
      this.record(
        new PaymentCapturedEvent(
          this.id,
          now,
          this.state.orderId,
          this.state.userId,
          this.state.amountCents,
          this.state.currency,
        ),
      );
      return true;
    }
    if (this.state.status === 'VOIDED' && this.state.providerChargeId === null && this.state.refundedCents === 0) {
      this.state = {
        ...this.state,
        status: 'REFUND_PENDING',
        providerChargeId: chargeId,
        capturedCents: this.state.amountCents,
        nextAttemptAt: now,
        updatedAt: now,
      };
      return true;
    }
    return false;
  }

  /** The provider refused the charge: PENDING → DECLINED. A voided payment has nothing left to check. */
  recordDecline(reason: PaymentDeclineReason, now: Date): boolean {
    if (this.state.status === 'PENDING') {
      this.state = { ...this.state, status: 'DECLINED', declineReason: reason, nextAttemptAt: null, updatedAt: now };
      this.record(new PaymentDeclinedEvent(this.id, now, this.state.orderId, this.state.userId, reason));
      return true;
    }
    if (this.state.status === 'VOIDED' && this.state.nextAttemptAt !== null) {
      this.state = { ...this.state, declineReason: reason, nextAttemptAt: null, updatedAt: now };
      this.recordVoided(now);
      return true;
    }
    return false;
  }

  /**
   * The provider answered the refund of the capture key with what it gave back. REFUND_PENDING
   * → REFUNDED. A VOIDED payment whose call had charged after all → REFUNDED too; one with
   * nothing charged stays VOIDED, with nothing left to ask.
   */
  recordRefund(amountCents: number, now: Date): boolean {
    const { status, nextAttemptAt } = this.state;
    if (status === 'VOIDED' && nextAttemptAt !== null && amountCents === 0) {
      this.state = { ...this.state, nextAttemptAt: null, updatedAt: now };
      this.recordVoided(now);
      return true;
    }
    if (status === 'REFUND_PENDING' || (status === 'VOIDED' && nextAttemptAt !== null)) {
      this.state = {
        ...this.state,
        status: 'REFUNDED',
        capturedCents: Math.max(this.state.capturedCents, amountCents),
        refundedCents: amountCents,
        nextAttemptAt: null,
        updatedAt: now,
      };
      this.record(
        new PaymentRefundedEvent(this.id, now, this.state.orderId, this.state.userId, amountCents, this.state.currency),
      );
      return true;
    }
    return false;
  }

  /** VOIDED for good with nothing charged: the orders saga learns its payment is settled. */
  private recordVoided(now: Date): void {
    this.record(new PaymentVoidedEvent(this.id, now, this.state.orderId, this.state.userId));
  }

  /** The provider could not answer (down, timed out): the same question again at `retryAt`. */
  recordProviderUnavailable(retryAt: Date, now: Date): boolean {
    if (this.providerWork === null) return false;
    this.state = { ...this.state, nextAttemptAt: retryAt, updatedAt: now };
    return true;
  }
}

function blank(
  orderId: string,
  userId: string,
  now: Date,
): Omit<PaymentState, 'amountCents' | 'currency' | 'status' | 'nextAttemptAt'> {
  return {
    orderId,
    userId,
    providerChargeId: null,
    declineReason: null,
    attempts: 0,
    capturedCents: 0,
    refundedCents: 0,
    createdAt: now,
    updatedAt: now,
  };
}
