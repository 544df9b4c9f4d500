import { Command } from '@nestjs/cqrs';

/** The orders saga reserved the order's credit and asks for its total (PaymentRequested). */
export class RequestPaymentCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly userId: string,
    readonly amountCents: number,
    readonly currency: string,
  ) {
    super();
  }
}
