import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { CreditRejectedEvent } from './credit-rejected.domain-event.js';
import { CreditReleasedEvent } from './credit-released.domain-event.js';
import { CreditReservation } from './credit-reservation.aggregate.js';
import { CreditReservedEvent } from './credit-reserved.domain-event.js';
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

  describe('credit', () => {
    const later = new Date('2026-02-01T00:00:00Z');
    const orderA = '5d3c8f2e-7a41-4b9e-8c1d-2f6e9a0b7c33';
    const orderB = '9a1e4c7d-3b2f-4e8a-9c6d-1f0e2d3c4b5a';

    function aPersistedUser(): User {
      const user = aUser();
      user.markPersisted(1);
      return user;
    }

    it('reserves an order it can cover and records CreditReserved on the reservation', () => {
      const user = aPersistedUser();
      const reservation = user.reserveCredit(orderA, 60_000, later);
      expect(reservation).toMatchObject({ orderId: orderA, userId: user.id, amountCents: 60_000, status: 'RESERVED' });
      expect(reservation.isNew).toBe(true);
      expect(reservation.uncommittedEvents).toEqual([new CreditReservedEvent(orderA, later, user.id, 60_000)]);
      expect(user.creditReservedCents).toBe(60_000);
      expect(user.availableCreditCents).toBe(40_000);
      expect(user.updatedAt).toEqual(later);
      expect(user.uncommittedEvents).toEqual([]);
    });

    it('reserves up to exactly its limit', () => {
      const user = aPersistedUser();
      expect(user.reserveCredit(orderA, 60_000, later).status).toBe('RESERVED');
      expect(user.reserveCredit(orderB, 40_000, later).status).toBe('RESERVED');
      expect(user.creditReservedCents).toBe(100_000);
      expect(user.availableCreditCents).toBe(0);
    });

    it('rejects an order above its available credit with INSUFFICIENT_CREDIT and stays unchanged', () => {
      const user = aPersistedUser();
      user.reserveCredit(orderA, 60_000, later);
      const reservation = user.reserveCredit(orderB, 40_001, new Date('2026-03-01T00:00:00Z'));
      expect(reservation).toMatchObject({ orderId: orderB, userId: user.id, amountCents: 40_001, status: 'REJECTED' });
      expect(reservation.uncommittedEvents).toEqual([
        new CreditRejectedEvent(orderB, new Date('2026-03-01T00:00:00Z'), user.id, 40_001, 'INSUFFICIENT_CREDIT'),
      ]);
      expect(user.creditReservedCents).toBe(60_000);
      expect(user.updatedAt).toEqual(later);
    });

    it.each([[-1], [1.5], [Number.NaN], [Number.MAX_SAFE_INTEGER + 1]])('refuses to reserve %p cents', (amount) => {
      const user = aPersistedUser();
      expect(() => user.reserveCredit(orderA, amount, later)).toThrow(ValidationFailedError);
      expect(user.creditReservedCents).toBe(0);
    });

    it('releases a reservation: gives the amount back, marks it RELEASED and records CreditReleased', () => {
      const user = aPersistedUser();
      const reservation = user.reserveCredit(orderA, 60_000, later);
      reservation.markPersisted(1);
      const releasedAt = new Date('2026-04-01T00:00:00Z');

      expect(user.releaseCredit(reservation, releasedAt)).toBe(true);

      expect(user.creditReservedCents).toBe(0);
      expect(user.updatedAt).toEqual(releasedAt);
      expect(reservation.status).toBe('RELEASED');
      expect(reservation.updatedAt).toEqual(releasedAt);
      expect(reservation.uncommittedEvents).toEqual([new CreditReleasedEvent(orderA, releasedAt, user.id, 60_000)]);
    });

    it('releases a reservation once, whatever arrives after', () => {
      const user = aPersistedUser();
      const reservation = user.reserveCredit(orderA, 60_000, later);
      user.reserveCredit(orderB, 10_000, later);
      expect(user.releaseCredit(reservation, later)).toBe(true);
      expect(user.releaseCredit(reservation, new Date('2026-05-01T00:00:00Z'))).toBe(false);
      expect(user.creditReservedCents).toBe(10_000);
      expect(reservation.uncommittedEvents.map((event) => event.type)).toEqual(['CreditReserved', 'CreditReleased']);
    });

    it('leaves alone a reservation of another user, a rejected one and a cancellation mark', () => {
      const owner = aPersistedUser();
      const other = User.restore('7c7c6b1f-4e11-4c3f-9d0c-0b7e0d5e2a51', 1, {
        email: Email.create('grace@example.com'),
        name: Name.create('Grace'),
        passwordHash: hash,
        role: 'user',
        creditLimitCents: 100_000,
        creditReservedCents: 60_000,
        createdAt: registeredAt,
        updatedAt: registeredAt,
      });
      const reserved = owner.reserveCredit(orderA, 60_000, later);
      const rejected = owner.reserveCredit(orderB, 1_000_000, later);
      const mark = CreditReservation.cancelledBeforeDecision(orderB, owner.id, later);

      expect(other.releaseCredit(reserved, later)).toBe(false);
      expect(owner.releaseCredit(rejected, later)).toBe(false);
      expect(owner.releaseCredit(mark, later)).toBe(false);

      expect(other.creditReservedCents).toBe(60_000);
      expect(owner.creditReservedCents).toBe(60_000);
      expect(reserved.status).toBe('RESERVED');
      expect(rejected.status).toBe('REJECTED');
      expect(mark.status).toBe('RELEASED');
    });

    it('refuses to release more than the user holds (storage out of step), changing nothing', () => {
      const user = aPersistedUser();
      const stale = CreditReservation.restore(orderA, 1, {
        userId: user.id,
        amountCents: 5,
        status: 'RESERVED',
        createdAt: later,
        updatedAt: later,
      });
      expect(() => user.releaseCredit(stale, later)).toThrow('cannot release 5 cents: only 0 reserved');
      expect(stale.status).toBe('RESERVED');
      expect(user.creditReservedCents).toBe(0);
    });
  });
});
