import type { DomainEvent } from '@app/ddd';

/** The order ended before a charge was kept: the payment is VOIDED for good, nothing taken. */
export class PaymentVoidedEvent implements DomainEvent {
  readonly type = 'PaymentVoided';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly orderId: string,
    readonly userId: string,
  ) {}
}
