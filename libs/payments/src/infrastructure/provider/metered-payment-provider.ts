import { providerCallDuration, providerCalls } from '@app/platform';
import type { CaptureResult, PaymentProvider, RefundResult } from '../../application/index.js';

/** Counts and times every provider call (provider_calls_total, provider_call_duration_seconds), whichever provider it is. */
export class MeteredPaymentProvider implements PaymentProvider {
  constructor(private readonly provider: PaymentProvider) {}

  capture(
    captureKey: string,
    customerId: string,
    amountCents: number,
    currency: string,
    reference: string,
  ): Promise<CaptureResult> {
    return metered('capture', () => this.provider.capture(captureKey, customerId, amountCents, currency, reference));
  }

  refund(refundKey: string, captureKey: string): Promise<RefundResult> {
    return metered('refund', () => this.provider.refund(refundKey, captureKey));
  }
}

async function metered<T extends { outcome: string }>(operation: string, call: () => Promise<T>): Promise<T> {
  const end = providerCallDuration.startTimer({ operation });
  let outcome = 'unavailable';
  try {
    const result = await call();
    outcome = result.outcome;
    return result;
  } finally {
    end({ outcome });
    providerCalls.inc({ operation, outcome });
  }
}
