import type { DomainEvent } from '@app/ddd';

export class CreditReservedEvent implements DomainEvent {
  readonly type = 'CreditReserved';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly orderId: string,
    readonly amountCents: number,
  ) {}
}
