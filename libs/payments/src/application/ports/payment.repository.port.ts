import type { Payment } from '../../domain/index.js';
import type { PaymentOrigin } from './work-origin.port.js';

/** A payment the processor holds, with the origin of the work it is due for. */
export interface ClaimedPayment {
  readonly payment: Payment;
  readonly origin: PaymentOrigin | null;
}

/** Loads and saves Payment aggregates: the only writer of `payments`. */
export abstract class PaymentRepository {
  abstract findByOrderId(orderId: string): Promise<Payment | null>;
  /**
   * Writes the payment and nothing else; its events stay on it until the unit of work commits,
   * for the handler's outbox step. `releaseLease` ends the processor's claim on it. Throws
   * ConcurrencyConflictError when it changed since it was loaded (or another payment of the
   * order was saved first). A save by a message handler (no `releaseLease`) also records that
   * message as the origin of whatever work the payment is now due for; the processor's saves
   * (`releaseLease`) keep the origin the work came with, so a retry or a refund continues it.
   */
  abstract save(payment: Payment, options?: { releaseLease?: boolean }): Promise<void>;
  /**
   * Claims up to `limit` payments due by `now` that no one holds, for `leaseMs`, and counts a
   * provider call begun on each (attempts + 1), in one committed statement: two processors never
   * hold one payment, and a payment voided after the claim knows the provider may have charged.
   */
  abstract claimDue(now: Date, leaseMs: number, limit: number): Promise<ClaimedPayment[]>;
}
