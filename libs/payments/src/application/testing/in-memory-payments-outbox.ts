import type { DomainEvent, InMemoryUnitOfWork } from '@app/ddd';
import type { PaymentsOutbox } from '../ports/payments-outbox.port.js';
import type { PaymentOrigin } from '../ports/work-origin.port.js';
import type { InMemoryWorkOrigin } from './in-memory-work-origin.js';

/** An outbox row: the event, and the message context it was written under (its correlation and trace). */
export interface AppendedEvent {
  event: DomainEvent;
  origin: PaymentOrigin | null;
}

/** The domain events handed to the outbox, in order, each with the context it was written in. */
export class InMemoryPaymentsOutbox implements PaymentsOutbox {
  private appended: AppendedEvent[] = [];

  constructor(
    private readonly unitOfWork: InMemoryUnitOfWork,
    private readonly origins: InMemoryWorkOrigin,
  ) {
    unitOfWork.register({
      snapshot: () => [...this.appended],
      restore: (rows) => (this.appended = rows as AppendedEvent[]),
    });
  }

  async append(events: readonly DomainEvent[]): Promise<void> {
    if (!this.unitOfWork.inUnitOfWork) throw new Error('outbox rows must be written inside a unit of work');
    const origin = this.origins.current();
    this.appended.push(...events.map((event) => ({ event, origin })));
  }

  get events(): readonly DomainEvent[] {
    return this.appended.map(({ event }) => event);
  }

  get rows(): readonly AppendedEvent[] {
    return this.appended;
  }
}
