import { Command } from '@nestjs/cqrs';

/** The users service reserved the order's credit. */
export class ConfirmOrderCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
