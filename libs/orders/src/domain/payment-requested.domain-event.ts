import type { DomainEvent } from '@app/ddd';

/** The credit is reserved: the payments service is asked to capture the order's total. */
export class PaymentRequestedEvent implements DomainEvent {
  readonly type = 'PaymentRequested';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly userId: string,
    readonly amountCents: number,
    readonly currency: string,
  ) {}
}
