import type { DomainEvent } from '@app/ddd';

export class OrderConfirmedEvent implements DomainEvent {
  readonly type = 'OrderConfirmed';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly userId: string,
    readonly totalCents: number,
  ) {}
}
