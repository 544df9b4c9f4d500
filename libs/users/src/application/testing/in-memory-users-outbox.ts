import type { DomainEvent } from '@app/ddd';
import type { UsersOutbox } from '../ports/users-outbox.port.js';
import type { InMemoryUnitOfWork } from '@app/ddd';

/** The domain events handed to the outbox, in order; what becomes an integration event is the adapter's concern. */
export class InMemoryUsersOutbox implements UsersOutbox {
  private appended: DomainEvent[] = [];

  constructor(private readonly unitOfWork: InMemoryUnitOfWork) {
    unitOfWork.register({
      snapshot: () => [...this.appended],
      restore: (events) => {
        this.appended = events as DomainEvent[];
      },
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
