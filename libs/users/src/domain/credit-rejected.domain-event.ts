import type { DomainEvent } from '@app/ddd';

export type CreditRejectionReason = 'INSUFFICIENT_CREDIT' | 'USER_NOT_FOUND';

/** The order cannot be paid for with credit. `aggregateId` is the order's id (its reservation). */
export class CreditRejectedEvent implements DomainEvent {
  readonly type = 'CreditRejected';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly userId: string,
    readonly amountCents: number,
    readonly reason: CreditRejectionReason,
  ) {}
}
