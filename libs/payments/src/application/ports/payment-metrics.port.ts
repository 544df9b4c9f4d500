import type { Payment } from '../../domain/index.js';

/** The payments' outcomes for the dashboards. */
export abstract class PaymentMetrics {
  /** Counts the payment's new status (captured, declined, refunded...) once the unit of work commits. */
  abstract countOutcome(payment: Payment): void;
}
