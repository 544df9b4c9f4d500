import { Injectable } from '@nestjs/common';
import { TransactionRunner, sagaOutcomes } from '@app/platform';
import type { SagaOutcomes } from '../application/index.js';
import type { Order } from '../domain/index.js';

/** `saga_outcomes_total` by outcome and rejection reason, counted only once the settling transaction commits. */
@Injectable()
export class PrometheusSagaOutcomes implements SagaOutcomes {
  constructor(private readonly transactions: TransactionRunner) {}

  countSettled(order: Order): void {
    if (!order.isSettled) return;
    const outcome = order.status.toLowerCase();
    const reason = order.status === 'REJECTED' ? (order.rejectionReason ?? '') : '';
    this.transactions.afterCommit(() => sagaOutcomes.inc({ outcome, reason }));
  }
}
