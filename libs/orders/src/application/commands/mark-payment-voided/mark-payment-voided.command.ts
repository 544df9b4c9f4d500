import { Command } from '@nestjs/cqrs';

/** The payments service voided the order's payment for good: nothing was charged. */
export class MarkPaymentVoidedCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
