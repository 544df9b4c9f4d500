import type { PaymentDeclineReason } from '@app/contracts';

export type CaptureResult =
  { outcome: 'captured'; chargeId: string } | { outcome: 'declined'; reason: PaymentDeclineReason };

export interface RefundResult {
  outcome: 'refunded' | 'nothing_to_refund';
  /** What the refund gave back (0 when the capture key charged nothing). */
  amountCents: number;
}

/** The provider could not give an answer (down, failed, or past our deadline); asking again is safe. */
export class ProviderUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

/**
 * The external payment provider. Both calls are idempotent by key: the same key answers the
 * same, and never charges (or refunds) twice. Called outside any unit of work of ours. Throws
 * ProviderUnavailableError on a transient failure or a timeout: whether it charged is then unknown.
 */
export abstract class PaymentProvider {
  abstract capture(
    captureKey: string,
    customerId: string,
    amountCents: number,
    currency: string,
    reference: string,
  ): Promise<CaptureResult>;
  /** Refunds whatever `captureKey` charged, under `refundKey`. */
  abstract refund(refundKey: string, captureKey: string): Promise<RefundResult>;
}
