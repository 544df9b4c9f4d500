import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { OutboxSignal, OutboxWriter } from '@app/messaging';
import { TransactionRunner, runInMessageContext } from '@app/platform';
import { CreditReservation, Email, Name, PasswordHash, User } from '../domain/index.js';
import { SqlUsersOutbox } from './sql-users-outbox.js';
import { openUsersTestDatabase } from './testing/users-test-database.js';

const now = new Date('2026-01-02T03:04:05.678Z');

let dataSource: DataSource;
let drop: (() => Promise<void>) | undefined;
let transactions: TransactionRunner;
let outbox: SqlUsersOutbox;

beforeAll(async () => {
  ({ dataSource, drop } = await openUsersTestDatabase('users_outbox', 2));
  transactions = new TransactionRunner(dataSource);
  outbox = new SqlUsersOutbox(new OutboxWriter(transactions, new OutboxSignal()));
}, 60_000);

afterAll(async () => {
  await drop?.();
}, 60_000);

function outboxForOrder(orderId: string): Promise<unknown[]> {
  return dataSource.query(
    `SELECT type, routing_key, payload, headers, occurred_at, published_at FROM outbox
      WHERE payload->>'orderId' = $1 ORDER BY occurred_at`,
    [orderId],
  );
}

function aUser(): User {
  const user = User.register({
    id: randomUUID(),
    email: Email.create(`${randomUUID()}@example.com`),
    name: Name.create('Ada'),
    passwordHash: PasswordHash.fromHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'),
    role: 'user',
    creditLimitCents: 10_000,
    now,
  });
  user.markPersisted(1);
  return user;
}

describe('SqlUsersOutbox', () => {
  it('writes a reservation as users.credit-reserved.v1, stamped with the message context', async () => {
    const user = aUser();
    const orderId = randomUUID();
    const reservation = user.reserveCredit(orderId, 2500, now);

    await runInMessageContext({ correlationId: 'corr-r', causationId: 'placed-1' }, () =>
      transactions.run(() => outbox.append(reservation.uncommittedEvents)),
    );

    expect(await outboxForOrder(orderId)).toEqual([
      {
        type: 'CreditReserved',
        routing_key: 'users.credit-reserved.v1',
        payload: { orderId, userId: user.id, amountCents: 2500 },
        headers: { version: 1, correlationId: 'corr-r', causationId: 'placed-1' },
        occurred_at: now,
        published_at: null,
      },
    ]);
  });

  it.each([
    ['INSUFFICIENT_CREDIT', (orderId: string, user: User) => user.reserveCredit(orderId, 10_001, now)],
    [
      'USER_NOT_FOUND',
      (orderId: string, user: User) => CreditReservation.rejectForUnknownUser(orderId, user.id, 1, now),
    ],
  ])('writes a rejection for %s as users.credit-rejected.v1', async (reason, decide) => {
    const user = aUser();
    const orderId = randomUUID();

    await transactions.run(() => outbox.append(decide(orderId, user).uncommittedEvents));

    expect(await outboxForOrder(orderId)).toEqual([
      {
        type: 'CreditRejected',
        routing_key: 'users.credit-rejected.v1',
        payload: { orderId, userId: user.id, reason },
        headers: { version: 1, correlationId: null, causationId: null },
        occurred_at: now,
        published_at: null,
      },
    ]);
  });

  it('writes nothing for a release, which no other context listens to', async () => {
    const user = aUser();
    const orderId = randomUUID();
    const reservation = user.reserveCredit(orderId, 2500, now);
    reservation.markPersisted(1);
    user.releaseCredit(reservation, now);

    await transactions.run(() => outbox.append(reservation.uncommittedEvents));

    expect(reservation.uncommittedEvents.map((event) => event.type)).toEqual(['CreditReleased']);
    expect(await outboxForOrder(orderId)).toEqual([]);
  });

  it('refuses to write outside a unit of work', async () => {
    const reservation = CreditReservation.rejectForUnknownUser(randomUUID(), randomUUID(), 1, now);
    await expect(outbox.append(reservation.uncommittedEvents)).rejects.toThrow('inside a transaction');
  });
});
