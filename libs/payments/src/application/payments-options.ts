export interface PaymentsOptions {
  /** How often the processor looks for due payments (it is also woken after each request). */
  processIntervalMs: number;
  /** At most this many payments per processor run. */
  processBatch: number;
  /** Processor runs at once per process; claims are leased, so they never take the same payment. */
  processConcurrency: number;
  /** How long a claim holds a payment: longer than the provider's deadline, so a call never outlives it. */
  leaseMs: number;
  /** Backoff after a provider failure: base × 2^(attempts − 1), capped, with jitter. */
  retryBaseMs: number;
  retryMaxMs: number;
}

export const PAYMENTS_OPTIONS = Symbol('PAYMENTS_OPTIONS');
