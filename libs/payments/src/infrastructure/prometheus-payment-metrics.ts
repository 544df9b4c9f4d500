import { Injectable } from '@nestjs/common';
import { TransactionRunner, paymentsTotal } from '@app/platform';
import type { PaymentMetrics } from '../application/index.js';
import type { Payment } from '../domain/index.js';

/** `payments_total` by outcome (the payment's new status), counted only once the transaction commits. */
@Injectable()
export class PrometheusPaymentMetrics implements PaymentMetrics {
  constructor(private readonly transactions: TransactionRunner) {}

  countOutcome(payment: Payment): void {
    const outcome = payment.status.toLowerCase();
    this.transactions.afterCommit(() => paymentsTotal.inc({ outcome }));
  }
}
