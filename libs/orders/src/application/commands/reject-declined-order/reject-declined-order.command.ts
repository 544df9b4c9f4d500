import { Command } from '@nestjs/cqrs';

/** The payments service's provider refused to charge the order. */
export class RejectDeclinedOrderCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
