export interface OrdersOptions {
  /** A PENDING order without its credit and payment answers after this long is rejected (SAGA_TIMEOUT). */
  sagaTimeoutMs: number;
  /** How often the timeout and the idempotency-key purge run. */
  sweepIntervalMs: number;
  /** How long first answers to Idempotency-Keys are kept (at least 24 h). */
  idempotencyKeyTtlMs: number;
}

export const ORDERS_OPTIONS = Symbol('ORDERS_OPTIONS');
