import { Command } from '@nestjs/cqrs';

/** The users service refused the order's credit (INSUFFICIENT_CREDIT, USER_NOT_FOUND). */
export class RejectOrderCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly reason: string,
  ) {
    super();
  }
}
