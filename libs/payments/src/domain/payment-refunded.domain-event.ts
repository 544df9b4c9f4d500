import type { DomainEvent } from '@app/ddd';

export class PaymentRefundedEvent implements DomainEvent {
  readonly type = 'PaymentRefunded';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly orderId: string,
    readonly userId: string,
    readonly amountCents: number,
    readonly currency: string,
  ) {}
}
