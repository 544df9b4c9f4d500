import { InMemoryUnitOfWork } from '@app/ddd';
import type { Payment } from '../../domain/index.js';
import type { PaymentMetrics } from '../ports/payment-metrics.port.js';
import type { ProcessorSignal } from '../ports/processor-signal.port.js';
import { InMemoryPaymentRepository } from './in-memory-payment.repository.js';
import { InMemoryPaymentsOutbox } from './in-memory-payments-outbox.js';
import { InMemoryWorkOrigin } from './in-memory-work-origin.js';
import { ScriptedPaymentProvider } from './scripted-payment-provider.js';

/** Counts outcomes only when the unit of work commits, like the Prometheus adapter. */
export class RecordedPaymentMetrics implements PaymentMetrics {
  readonly outcomes: string[] = [];
  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {}
  countOutcome(payment: Payment): void {
    const outcome = payment.status.toLowerCase();
    this.unitOfWork.afterCommit(() => this.outcomes.push(outcome));
  }
}

/** Counts the wake-ups that would reach the processor (after commit only). */
export class RecordedProcessorSignal implements ProcessorSignal {
  wakeUps = 0;
  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {}
  notifyAfterCommit(): void {
    this.unitOfWork.afterCommit(() => (this.wakeUps += 1));
  }
  listen(): void {}
}

/** Every port of the payments context, in memory, sharing one unit of work. */
export function inMemoryPaymentsPorts() {
  const unitOfWork = new InMemoryUnitOfWork();
  const origins = new InMemoryWorkOrigin();
  return {
    unitOfWork,
    origins,
    payments: new InMemoryPaymentRepository(unitOfWork, origins),
    outbox: new InMemoryPaymentsOutbox(unitOfWork, origins),
    provider: new ScriptedPaymentProvider(unitOfWork, origins),
    metrics: new RecordedPaymentMetrics(unitOfWork),
    signal: new RecordedProcessorSignal(unitOfWork),
  };
}

export type InMemoryPaymentsPorts = ReturnType<typeof inMemoryPaymentsPorts>;
