import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { Email } from './email.value-object.js';
import { Name } from './name.value-object.js';
import { PasswordHash } from './password.value-object.js';
import { User } from './user.aggregate.js';
import { UserProfileUpdatedEvent } from './user-profile-updated.domain-event.js';
import { UserRegisteredEvent } from './user-registered.domain-event.js';

const hash = PasswordHash.fromHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA');
const registeredAt = new Date('2026-01-01T00:00:00Z');

function aUser(): User {
  return User.register({
    id: '0b7e0d5e-2a51-4c3f-9d0c-7c7c6b1f4e11',
    email: Email.create('ada@example.com'),
    name: Name.create('Ada'),
    passwordHash: hash,
    role: 'user',
    creditLimitCents: 100_000,
    now: registeredAt,
  });
}

describe('User', () => {
  it('registers with no reserved credit and records UserRegistered', () => {
    const user = aUser();
    expect(user.isNew).toBe(true);
    expect(user.creditReservedCents).toBe(0);
    const events = user.uncommittedEvents;
    expect(events).toHaveLength(1);
    expect(events[0]).toBeInstanceOf(UserRegisteredEvent);
    expect(events[0]).toMatchObject({
      aggregateId: user.id,
      email: 'ada@example.com',
      name: 'Ada',
      role: 'user',
      creditLimitCents: 100_000,
      occurredAt: registeredAt,
    });
    user.markPersisted(1);
    expect(user.uncommittedEvents).toEqual([]);
    expect(user.version).toBe(1);
  });

  it.each([[-1], [1.5], [Number.MAX_SAFE_INTEGER + 1]])('rejects a credit limit of %p', (creditLimitCents) => {
    expect(() =>
      User.register({
        id: 'x',
        email: Email.create('a@b.co'),
        name: Name.create('A'),
        passwordHash: hash,
        role: 'user',
        creditLimitCents,
        now: registeredAt,
      }),
    ).toThrow(ValidationFailedError);
  });

  it('updates its profile and records UserProfileUpdated with the new values', () => {
    const user = aUser();
    user.markPersisted(1);
    const later = new Date('2026-02-01T00:00:00Z');
    user.updateProfile({ name: Name.create('Ada L.'), email: Email.create('ADA.L@example.com') }, later);
    expect(user.name.value).toBe('Ada L.');
    expect(user.email.value).toBe('ada.l@example.com');
    expect(user.updatedAt).toEqual(later);
    const events = user.uncommittedEvents;
    expect(events).toHaveLength(1);
    expect(events[0]).toBeInstanceOf(UserProfileUpdatedEvent);
    expect(events[0]).toMatchObject({ email: 'ada.l@example.com', name: 'Ada L.', occurredAt: later });
  });

  it('records nothing when the profile does not really change', () => {
    const user = aUser();
    user.markPersisted(1);
    user.updateProfile({ name: Name.create(' Ada '), email: Email.create('Ada@Example.com') }, new Date());
    expect(user.uncommittedEvents).toEqual([]);
    expect(user.updatedAt).toEqual(registeredAt);
  });

  it('restores from storage without recording events', () => {
    const restored = User.restore('id-1', 3, {
      email: Email.create('a@b.co'),
      name: Name.create('A'),
      passwordHash: hash,
      role: 'admin',
      creditLimitCents: 5,
      creditReservedCents: 2,
      createdAt: registeredAt,
      updatedAt: registeredAt,
    });
    expect(restored.version).toBe(3);
    expect(restored.isNew).toBe(false);
    expect(restored.uncommittedEvents).toEqual([]);
  });
});
