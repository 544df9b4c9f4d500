import type { DomainEvent } from '@app/ddd';

/** A reservation's credit went back to its user. `aggregateId` is the order's id. */
export class CreditReleasedEvent implements DomainEvent {
  readonly type = 'CreditReleased';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly userId: string,
    readonly amountCents: number,
  ) {}
}
