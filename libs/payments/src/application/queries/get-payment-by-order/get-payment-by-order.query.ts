import { Query } from '@nestjs/cqrs';
import type { Actor, PaymentResponse } from '@app/contracts';

export class GetPaymentByOrderQuery extends Query<PaymentResponse> {
  constructor(
    readonly actor: Actor,
    readonly orderId: string,
  ) {
    super();
  }
}
