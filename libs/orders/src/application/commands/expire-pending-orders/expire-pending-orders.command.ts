import { Command } from '@nestjs/cqrs';

/** Rejects orders PENDING for longer than the saga timeout, at most `limit` per run. */
export class ExpirePendingOrdersCommand extends Command<number> {
  constructor(
    readonly timeoutMs: number,
    readonly limit = 500,
  ) {
    super();
  }
}
