import { Command } from '@nestjs/cqrs';

/** The order was cancelled or timed out (OrderCancelled): whatever was charged for it goes back. */
export class CompensatePaymentCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly userId: string,
  ) {
    super();
  }
}
