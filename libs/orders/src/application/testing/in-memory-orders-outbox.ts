import type { DomainEvent } from '@app/ddd';
import type { OrdersOutbox } from '../ports/orders-outbox.port.js';
import type { InMemoryUnitOfWork } from '@app/ddd';

/** The domain events handed to the outbox, in order; what becomes an integration event is the adapter's concern. */
export class InMemoryOrdersOutbox implements OrdersOutbox {
  private appended: DomainEvent[] = [];
  /** Makes the next append fail, as a broken step after the save would. */
  failNextAppend: Error | null = null;

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {
    unitOfWork.register({
      snapshot: () => [...this.appended],
      restore: (events) => (this.appended = events as DomainEvent[]),
    });
  }

  async append(events: readonly DomainEvent[]): Promise<void> {
    if (!this.unitOfWork.inUnitOfWork) throw new Error('outbox rows must be written inside a unit of work');
    const failure = this.failNextAppend;
    this.failNextAppend = null;
    if (failure) throw failure;
    this.appended.push(...events);
  }

  get events(): readonly DomainEvent[] {
    return this.appended;
  }
}
