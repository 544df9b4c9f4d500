import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RefreshTokens } from './ports/refresh-tokens.port.js';
import { USERS_OPTIONS, type UsersOptions } from './users-options.js';

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Mints opaque refresh tokens (256 random bits) and stores their hashes. */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly tokens: RefreshTokens,
    @Inject(USERS_OPTIONS) private readonly options: UsersOptions,
  ) {}

  async issue(userId: string, familyId: string = randomUUID()): Promise<{ refreshToken: string; expiresAt: Date }> {
    const refreshToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.options.refreshTokenTtlMs);
    await this.tokens.create({ userId, familyId, tokenHash: hashRefreshToken(refreshToken), expiresAt });
    return { refreshToken, expiresAt };
  }
}
