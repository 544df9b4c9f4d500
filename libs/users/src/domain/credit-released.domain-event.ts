import type { DomainEvent } from '@app/ddd';

export class CreditReleasedEvent implements DomainEvent {
  readonly type = 'CreditReleased';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly orderId: string,
    readonly amountCents: number,
  ) {}
}
