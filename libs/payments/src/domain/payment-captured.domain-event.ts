import type { DomainEvent } from '@app/ddd';

export class PaymentCapturedEvent implements DomainEvent {
  readonly type = 'PaymentCaptured';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly orderId: string,
    readonly userId: string,
    readonly amountCents: number,
    readonly currency: string,
  ) {}
}
