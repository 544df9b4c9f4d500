import type { DomainEvent } from '@app/ddd';

export type CreditRejectionReason = 'INSUFFICIENT_CREDIT' | 'USER_NOT_FOUND';

export class CreditRejectedEvent implements DomainEvent {
  readonly type = 'CreditRejected';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly orderId: string,
    readonly amountCents: number,
    readonly reason: CreditRejectionReason,
  ) {}
}
