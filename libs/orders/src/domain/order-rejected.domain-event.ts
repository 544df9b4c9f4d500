import type { DomainEvent } from '@app/ddd';

export class OrderRejectedEvent implements DomainEvent {
  readonly type = 'OrderRejected';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly userId: string,
    readonly reason: string,
  ) {}
}
