import type { DomainEvent, InMemoryUnitOfWork } from '@app/ddd';
import type { PaymentsOutbox } from '../ports/payments-outbox.port.js';

/** The domain events handed to the outbox, in order. */
export class InMemoryPaymentsOutbox implements PaymentsOutbox {
  private appended: DomainEvent[] = [];

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {
    unitOfWork.register({
      snapshot: () => [...this.appended],
      restore: (events) => (this.appended = events as DomainEvent[]),
    });
  }

  async append(events: readonly DomainEvent[]): Promise<void> {
    if (!this.unitOfWork.inUnitOfWork) throw new Error('outbox rows must be written inside a unit of work');
    this.appended.push(...events);
  }

  get events(): readonly DomainEvent[] {
    return this.appended;
  }
}
