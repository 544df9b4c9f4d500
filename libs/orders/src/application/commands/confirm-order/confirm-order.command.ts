import { Command } from '@nestjs/cqrs';

/** The payments service captured the order's total. */
export class ConfirmOrderCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
