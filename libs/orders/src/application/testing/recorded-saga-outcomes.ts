import type { Order } from '../../domain/index.js';
import type { SagaOutcomes } from '../ports/saga-outcomes.port.js';
import type { InMemoryUnitOfWork } from '@app/ddd';

/** Settlements as the dashboards would count them: only those whose unit of work committed. */
export class RecordedSagaOutcomes implements SagaOutcomes {
  readonly counted: { orderId: string; outcome: string; reason: string }[] = [];

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {}

  countSettled(order: Order): void {
    const entry = {
      orderId: order.id,
      outcome: order.status.toLowerCase(),
      reason: order.status === 'REJECTED' ? (order.rejectionReason ?? '') : '',
    };
    this.unitOfWork.afterCommit(() => this.counted.push(entry));
  }
}
