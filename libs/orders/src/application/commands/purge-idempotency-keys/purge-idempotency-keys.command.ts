import { Command } from '@nestjs/cqrs';

/** Forgets first answers to Idempotency-Keys older than `olderThanMs`. */
export class PurgeIdempotencyKeysCommand extends Command<number> {
  constructor(readonly olderThanMs: number) {
    super();
  }
}
