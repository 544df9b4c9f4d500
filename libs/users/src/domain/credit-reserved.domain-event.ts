import type { DomainEvent } from '@app/ddd';

/** Part of the user's credit is held for the order. `aggregateId` is the order's id. */
export class CreditReservedEvent implements DomainEvent {
  readonly type = 'CreditReserved';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly userId: string,
    readonly amountCents: number,
  ) {}
}
