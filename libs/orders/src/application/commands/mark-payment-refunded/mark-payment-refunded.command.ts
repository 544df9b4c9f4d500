import { Command } from '@nestjs/cqrs';

/** The payments service refunded what it had charged for the order. */
export class MarkPaymentRefundedCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
