import { Command } from '@nestjs/cqrs';

/** An order was placed: reserve its total against its user's credit, once. */
export class ReserveCreditCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly userId: string,
    readonly amountCents: number,
  ) {
    super();
  }
}
