import { Command } from '@nestjs/cqrs';

/** An order was cancelled (by its user or by the saga timeout): give its credit back, once. */
export class ReleaseCreditCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly userId: string,
  ) {
    super();
  }
}
