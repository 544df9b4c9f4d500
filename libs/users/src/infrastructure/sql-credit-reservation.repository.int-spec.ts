import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ConcurrencyConflictError } from '@app/ddd';
import { TransactionRunner } from '@app/platform';
import { CreditReservation, Email, Name, PasswordHash, User } from '../domain/index.js';
import { SqlCreditReservationRepository } from './sql-credit-reservation.repository.js';
import { openUsersTestDatabase } from './testing/users-test-database.js';

const placedAt = new Date('2026-01-02T03:04:05.678Z');
const later = new Date('2026-01-02T03:05:00.000Z');

let dataSource: DataSource;
let drop: (() => Promise<void>) | undefined;
let transactions: TransactionRunner;
let reservations: SqlCreditReservationRepository;

beforeAll(async () => {
  ({ dataSource, drop } = await openUsersTestDatabase('users_reservations', 4));
  transactions = new TransactionRunner(dataSource);
  reservations = new SqlCreditReservationRepository(transactions);
}, 60_000);

afterAll(async () => {
  await drop?.();
}, 60_000);

function aUser(creditLimitCents = 100_000): User {
  const user = User.register({
    id: randomUUID(),
    email: Email.create(`${randomUUID()}@example.com`),
    name: Name.create('Ada'),
    passwordHash: PasswordHash.fromHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'),
    role: 'user',
    creditLimitCents,
    now: placedAt,
  });
  user.markPersisted(1);
  return user;
}

function restoredCopy(user: User): User {
  const { email, name, passwordHash, role, creditLimitCents, creditReservedCents, createdAt, updatedAt } = user;
  return User.restore(user.id, user.version, {
    email,
    name,
    passwordHash,
    role,
    creditLimitCents,
    creditReservedCents,
    createdAt,
    updatedAt,
  });
}

async function rowsOf(orderId: string): Promise<unknown[]> {
  return dataSource.query(
    `SELECT order_id, user_id, amount_cents, status, created_at, updated_at FROM credit_reservations WHERE order_id = $1`,
    [orderId],
  );
}

function snapshot(reservation: CreditReservation | null): Record<string, unknown> | null {
  if (!reservation) return null;
  const { orderId, userId, amountCents, status, createdAt, updatedAt, isNew } = reservation;
  return { orderId, userId, amountCents, status, createdAt, updatedAt, isNew };
}

describe('SqlCreditReservationRepository', () => {
  it('adds a reservation that findByOrderId loads back equal, no longer new', async () => {
    const user = aUser();
    const orderId = randomUUID();
    const reservation = user.reserveCredit(orderId, 2500, placedAt);

    expect(await reservations.add(reservation)).toBe(true);

    expect(reservation.isNew).toBe(false);
    expect(reservation.uncommittedEvents).toEqual([]);
    expect(snapshot(await reservations.findByOrderId(orderId))).toEqual({ ...snapshot(reservation), isNew: false });
    expect(await rowsOf(orderId)).toEqual([
      {
        order_id: orderId,
        user_id: user.id,
        amount_cents: '2500',
        status: 'RESERVED',
        created_at: placedAt,
        updated_at: placedAt,
      },
    ]);
  });

  it('adds nothing for an order that has a decision already, and says so', async () => {
    const user = aUser();
    const orderId = randomUUID();
    await reservations.add(user.reserveCredit(orderId, 2500, placedAt));
    const second = CreditReservation.rejectForUnknownUser(orderId, randomUUID(), 9999, later);

    expect(await reservations.add(second)).toBe(false);

    expect(second.isNew).toBe(true);
    expect(second.uncommittedEvents).toHaveLength(1);
    expect(await rowsOf(orderId)).toEqual([expect.objectContaining({ status: 'RESERVED', amount_cents: '2500' })]);
  });

  it("keeps a cancellation's mark, so a late decision for its order is not recorded", async () => {
    const user = aUser();
    const orderId = randomUUID();
    expect(await reservations.add(CreditReservation.cancelledBeforeDecision(orderId, user.id, placedAt))).toBe(true);

    expect(await reservations.add(user.reserveCredit(orderId, 2500, later))).toBe(false);

    expect(await rowsOf(orderId)).toEqual([
      expect.objectContaining({ user_id: user.id, status: 'RELEASED', amount_cents: '0' }),
    ]);
  });

  it('keeps a new reservation new, with its events, until the unit of work commits', async () => {
    const reservation = CreditReservation.rejectForUnknownUser(randomUUID(), randomUUID(), 100, placedAt);
    await transactions.run(async () => {
      await reservations.add(reservation);
      expect(reservation.isNew).toBe(true);
      expect(reservation.uncommittedEvents.map((event) => event.type)).toEqual(['CreditRejected']);
    });
    expect(reservation.isNew).toBe(false);
    expect(reservation.uncommittedEvents).toEqual([]);
  });

  it('saves a release and refuses a second release of the same reservation', async () => {
    const user = aUser();
    const orderId = randomUUID();
    await reservations.add(user.reserveCredit(orderId, 2500, placedAt));
    // two handlers that loaded the same RESERVED reservation, each with its own copy of the user
    const [first, second] = [
      (await reservations.findByOrderId(orderId))!,
      (await reservations.findByOrderId(orderId))!,
    ];
    const [userCopy1, userCopy2] = [restoredCopy(user), restoredCopy(user)];
    expect(userCopy1.releaseCredit(first, later)).toBe(true);
    expect(userCopy2.releaseCredit(second, later)).toBe(true);

    await reservations.save(first);
    await expect(reservations.save(second)).rejects.toBeInstanceOf(ConcurrencyConflictError);

    expect(await rowsOf(orderId)).toEqual([
      expect.objectContaining({ status: 'RELEASED', amount_cents: '2500', updated_at: later }),
    ]);
  });

  it('returns null for an order it never decided', async () => {
    expect(await reservations.findByOrderId(randomUUID())).toBeNull();
  });
});
