import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RefreshTokens } from '../../ports/refresh-tokens.port.js';
import { hashRefreshToken } from '../../session-issuer.js';
import { LogOutCommand } from './log-out.command.js';

/** Revokes the token's family. Idempotent: an unknown or revoked token is already logged out. */
@CommandHandler(LogOutCommand)
export class LogOutHandler implements ICommandHandler<LogOutCommand, void> {
  constructor(private readonly tokens: RefreshTokens) {}

  async execute({ refreshToken }: LogOutCommand): Promise<void> {
    const stored = await this.tokens.findByHash(hashRefreshToken(refreshToken));
    if (stored) await this.tokens.revokeFamily(stored.familyId);
  }
}
