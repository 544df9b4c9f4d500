import { SessionIssuer } from '../session-issuer.js';
import type { UsersOptions } from '../users-options.js';
import { FakePasswordHasher } from './fake-password-hasher.js';
import { InMemoryCreditReservationRepository } from './in-memory-credit-reservation.repository.js';
import { InMemoryRefreshTokens } from './in-memory-refresh-tokens.js';
import { InMemoryUnitOfWork } from '@app/ddd';
import { InMemoryUserReadModel } from './in-memory-user.read-model.js';
import { InMemoryUserRepository } from './in-memory-user.repository.js';
import { InMemoryUsersOutbox } from './in-memory-users-outbox.js';

export const usersOptions: UsersOptions = { creditLimitDefaultCents: 100_000, refreshTokenTtlMs: 60 * 60_000 };

/** Every port of the users write side, in memory, sharing one unit of work. */
export function inMemoryUsersPorts() {
  const unitOfWork = new InMemoryUnitOfWork();
  const users = new InMemoryUserRepository(unitOfWork);
  const tokens = new InMemoryRefreshTokens(unitOfWork);
  return {
    unitOfWork,
    users,
    reservations: new InMemoryCreditReservationRepository(unitOfWork),
    outbox: new InMemoryUsersOutbox(unitOfWork),
    hasher: new FakePasswordHasher(),
    tokens,
    readModel: new InMemoryUserReadModel(users),
    sessions: new SessionIssuer(tokens, usersOptions),
  };
}

export type InMemoryUsersPorts = ReturnType<typeof inMemoryUsersPorts>;
