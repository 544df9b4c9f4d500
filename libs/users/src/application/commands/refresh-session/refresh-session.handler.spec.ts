import { beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidRefreshTokenError, type User } from '../../../domain/index.js';
import { hashRefreshToken } from '../../session-issuer.js';
import { inMemoryUsersPorts, type InMemoryUsersPorts } from '../../testing/in-memory-users-ports.js';
import { aStoredUser } from '../../testing/user-fixtures.js';
import { RefreshSessionCommand } from './refresh-session.command.js';
import { RefreshSessionHandler } from './refresh-session.handler.js';

describe('RefreshSessionHandler', () => {
  let ports: InMemoryUsersPorts;
  let handler: RefreshSessionHandler;
  let user: User;
  let token: string;

  beforeEach(async () => {
    ports = inMemoryUsersPorts();
    handler = new RefreshSessionHandler(ports.tokens, ports.sessions, ports.readModel, ports.unitOfWork);
    user = aStoredUser();
    ports.users.add(user);
    token = (await ports.sessions.issue(user.id)).refreshToken;
  });

  const refresh = (refreshToken: string) => handler.execute(new RefreshSessionCommand(refreshToken));

  it('trades a refresh token for a new one of the same family, and the user', async () => {
    const session = await refresh(token);

    expect(session.user).toMatchObject({ id: user.id });
    expect(session.refreshToken).not.toBe(token);
    const [old, rotated] = ports.tokens.all;
    expect(old).toMatchObject({ tokenHash: hashRefreshToken(token), used: true, revoked: false });
    expect(rotated).toMatchObject({ tokenHash: hashRefreshToken(session.refreshToken), familyId: old!.familyId });
  });

  it('revokes the whole family when a used token comes back (it was stolen)', async () => {
    const session = await refresh(token);

    await expect(refresh(token)).rejects.toBeInstanceOf(InvalidRefreshTokenError);

    expect(ports.tokens.all.map((row) => row.revoked)).toEqual([true, true]);
    await expect(refresh(session.refreshToken)).rejects.toBeInstanceOf(InvalidRefreshTokenError);
  });

  it('refuses an expired token', async () => {
    ports.tokens.expire(hashRefreshToken(token));
    await expect(refresh(token)).rejects.toBeInstanceOf(InvalidRefreshTokenError);
    expect(ports.tokens.all).toHaveLength(1);
  });

  it.each([
    ['an unknown token', 'x'.repeat(43)],
    ['an empty string', ''],
    ['a long string', 'x'.repeat(201)],
  ])('refuses %s with INVALID_REFRESH_TOKEN, issuing nothing', async (_, refreshToken) => {
    await expect(refresh(refreshToken)).rejects.toBeInstanceOf(InvalidRefreshTokenError);
    expect(ports.tokens.all).toHaveLength(1);
  });
});
