import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SessionResponse } from '@app/contracts';
import { UnitOfWork } from '@app/ddd';
import { InvalidRefreshTokenError } from '../../../domain/index.js';
import { RefreshTokens } from '../../ports/refresh-tokens.port.js';
import { UserReadModel } from '../../ports/user-read-model.port.js';
import { SessionIssuer, hashRefreshToken } from '../../session-issuer.js';
import { RefreshSessionCommand } from './refresh-session.command.js';

/**
 * Rotates a refresh token: every token works once. Presenting one that was already used means
 * it was stolen (or replayed), so its whole family is revoked and the caller must log in again.
 */
@CommandHandler(RefreshSessionCommand)
export class RefreshSessionHandler implements ICommandHandler<RefreshSessionCommand, SessionResponse> {
  constructor(
    private readonly tokens: RefreshTokens,
    private readonly sessions: SessionIssuer,
    private readonly users: UserReadModel,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute({ refreshToken }: RefreshSessionCommand): Promise<SessionResponse> {
    const stored = await this.tokens.findByHash(hashRefreshToken(refreshToken));
    if (!stored || stored.revoked || stored.expiresAt.getTime() <= Date.now()) throw new InvalidRefreshTokenError();
    const session = await this.unitOfWork.run(async () => {
      if (!(await this.tokens.markUsed(stored.id))) return null;
      return this.sessions.issue(stored.userId, stored.familyId);
    });
    if (!session) {
      await this.tokens.revokeFamily(stored.familyId);
      throw new InvalidRefreshTokenError();
    }
    const user = await this.users.findById(stored.userId);
    if (!user) throw new InvalidRefreshTokenError();
    return { user, refreshToken: session.refreshToken, refreshTokenExpiresAt: session.expiresAt.toISOString() };
  }
}
