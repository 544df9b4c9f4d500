import { Command } from '@nestjs/cqrs';

/** The users service reserved the order's credit: the saga asks payments to capture it. */
export class RequestOrderPaymentCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
