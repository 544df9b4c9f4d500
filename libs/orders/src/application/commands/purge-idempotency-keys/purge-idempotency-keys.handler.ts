import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdempotencyKeys } from '../../ports/idempotency-keys.port.js';
import { PurgeIdempotencyKeysCommand } from './purge-idempotency-keys.command.js';

@CommandHandler(PurgeIdempotencyKeysCommand)
export class PurgeIdempotencyKeysHandler implements ICommandHandler<PurgeIdempotencyKeysCommand, number> {
  constructor(private readonly keys: IdempotencyKeys) {}

  execute({ olderThanMs }: PurgeIdempotencyKeysCommand): Promise<number> {
    return this.keys.purgeOlderThan(new Date(Date.now() - olderThanMs));
  }
}
