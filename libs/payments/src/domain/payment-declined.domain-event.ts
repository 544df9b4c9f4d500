import type { PaymentDeclineReason } from '@app/contracts';
import type { DomainEvent } from '@app/ddd';

export class PaymentDeclinedEvent implements DomainEvent {
  readonly type = 'PaymentDeclined';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly orderId: string,
    readonly userId: string,
    readonly reason: PaymentDeclineReason,
  ) {}
}
