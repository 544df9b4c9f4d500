import { beforeEach, describe, expect, it } from '@jest/globals';
import { InvalidCredentialsError, type User } from '../../../domain/index.js';
import { hashRefreshToken } from '../../session-issuer.js';
import { inMemoryUsersPorts, type InMemoryUsersPorts } from '../../testing/in-memory-users-ports.js';
import { PASSWORD, aStoredUser } from '../../testing/user-fixtures.js';
import { AuthenticateCommand } from './authenticate.command.js';
import { AuthenticateHandler } from './authenticate.handler.js';

describe('AuthenticateHandler', () => {
  let ports: InMemoryUsersPorts;
  let handler: AuthenticateHandler;
  let user: User;

  beforeEach(() => {
    ports = inMemoryUsersPorts();
    handler = new AuthenticateHandler(ports.users, ports.hasher, ports.sessions, ports.unitOfWork);
    user = aStoredUser({ email: 'ada@example.com' });
    ports.users.add(user);
  });

  it('opens a session for the right password: the user, and a refresh token stored only as its hash', async () => {
    const session = await handler.execute(new AuthenticateCommand('ADA@example.com', PASSWORD));

    expect(session.user).toMatchObject({ id: user.id, email: 'ada@example.com' });
    expect(session.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ports.tokens.all).toEqual([
      expect.objectContaining({ userId: user.id, tokenHash: hashRefreshToken(session.refreshToken), revoked: false }),
    ]);
    expect(new Date(session.refreshTokenExpiresAt).getTime()).toBe(ports.tokens.all[0]!.expiresAt.getTime());
    expect(ports.users.stored(user.id)?.version).toBe(1);
  });

  it.each([
    ['a wrong password', 'ada@example.com', 'wrong-password'],
    ['an unknown email', 'nobody@example.com', PASSWORD],
    ['a malformed email', 'not an email', PASSWORD],
  ])('refuses %s with INVALID_CREDENTIALS after the same work, opening no session', async (_, email, password) => {
    await expect(handler.execute(new AuthenticateCommand(email, password))).rejects.toBeInstanceOf(
      InvalidCredentialsError,
    );

    expect(ports.hasher.verifications).toBe(1);
    expect(ports.tokens.all).toEqual([]);
  });

  it('upgrades a hash made with older parameters, appending no event', async () => {
    ports.users.add((user = aStoredUser({ email: 'old@example.com', hashParameters: 'v=19$m=4096,t=3,p=1' })));

    await handler.execute(new AuthenticateCommand('old@example.com', PASSWORD));

    const saved = ports.users.stored(user.id)!;
    expect(saved.version).toBe(2);
    expect(ports.hasher.needsRehash(saved.state.passwordHash.value)).toBe(false);
    expect(await ports.hasher.verify(saved.state.passwordHash.value, PASSWORD)).toBe(true);
    expect(ports.outbox.events).toEqual([]);
  });
});
