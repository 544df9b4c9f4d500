import type { Actor } from '@app/contracts';
import { Email, Name, PasswordHash, User } from '../../domain/index.js';

export const registeredAt = new Date('2026-01-01T00:00:00Z');
export const PASSWORD = 'correct-horse-1';

let next = 0;
/** A fresh uuid-shaped id for each call, so cases never share one. */
export function anId(): string {
  next += 1;
  return `00000000-0000-4000-8000-${String(next).padStart(12, '0')}`;
}

/** A user as stored after registering (version 1), whose password is PASSWORD. */
export function aStoredUser(input: { email?: string; creditLimitCents?: number; hashParameters?: string } = {}): User {
  const user = User.register({
    id: anId(),
    email: Email.create(input.email ?? `user-${anId()}@example.com`),
    name: Name.create('Ada'),
    passwordHash: PasswordHash.fromHash(`$argon2id$${input.hashParameters ?? 'v=19$m=19456,t=2,p=1'}$${PASSWORD}`),
    role: 'user',
    creditLimitCents: input.creditLimitCents ?? 100_000,
    now: registeredAt,
  });
  user.markPersisted(1);
  return user;
}

export function actorOf(user: User): Actor {
  return { id: user.id, role: user.role };
}
