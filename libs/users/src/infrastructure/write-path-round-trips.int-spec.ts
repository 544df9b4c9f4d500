import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { OutboxSignal, OutboxWriter } from '@app/messaging';
import { TransactionRunner } from '@app/platform';
import {
  ReleaseCreditCommand,
  ReleaseCreditHandler,
  ReserveCreditCommand,
  ReserveCreditHandler,
} from '../application/index.js';
import { Email, Name, PasswordHash, User } from '../domain/index.js';
import { SqlCreditReservationRepository } from './sql-credit-reservation.repository.js';
import { SqlUsersOutbox } from './sql-users-outbox.js';
import { StatementRecorder } from '../../../../test/support/statement-recorder.js';
import { TypeormUserRepository } from './typeorm-user.repository.js';

/*
 * The round trips of the users' saga steps, pinned. Both run inside the event consumer's
 * transaction, which adds its inbox claim (and, batched, shares BEGIN, the claim and COMMIT with
 * the other events). The user row lock is the credit invariant: it stays.
 */

let dataSource: DataSource;
let drop: (() => Promise<void>) | undefined;
let recorder: StatementRecorder;
let transactions: TransactionRunner;
let reserve: ReserveCreditHandler;
let release: ReleaseCreditHandler;
let user: User;

beforeAll(async () => {
  ({ dataSource, drop } = await openUsersTestDatabase('users_trips', 2));
  recorder = StatementRecorder.attach(dataSource);
  transactions = new TransactionRunner(dataSource);
  const users = new TypeormUserRepository(transactions);
  const reservations = new SqlCreditReservationRepository(transactions);
  const outbox = new SqlUsersOutbox(new OutboxWriter(transactions, new OutboxSignal()));
  reserve = new ReserveCreditHandler(users, reservations, outbox, transactions);
  release = new ReleaseCreditHandler(users, reservations, outbox, transactions);
  user = User.register({
    id: randomUUID(),
    email: Email.create('ada@example.com'),
    name: Name.create('Ada'),
    passwordHash: PasswordHash.fromHash('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA'),
    role: 'user',
    creditLimitCents: 10_000,
    now: new Date(),
  });
  await users.save(user);
}, 60_000);

afterAll(async () => {
  await drop?.();
}, 60_000);

/** As the event consumer runs a handler: inside a transaction it opened (its inbox claim left out). */
function consumed(work: () => Promise<unknown>): Promise<string[]> {
  return recorder.during(() => transactions.run(work));
}
import { openUsersTestDatabase } from './testing/users-test-database.js';

const reserving = (orderId: string, amountCents: number, userId = user.id) =>
  consumed(() => reserve.execute(new ReserveCreditCommand(orderId, userId, amountCents)));
const releasing = (orderId: string) => consumed(() => release.execute(new ReleaseCreditCommand(orderId, user.id)));

describe('users write path, statements per transaction', () => {
  it('reserves in 4 inside the consumer’s transaction: lock the user, decision, user, outbox', async () => {
    expect(await reserving(randomUUID(), 100)).toEqual([
      'BEGIN',
      'select users for update',
      'insert credit_reservations',
      'update users',
      'insert outbox',
      'COMMIT',
    ]);
  });

  it('rejects in 3: the user is not written when nothing was reserved', async () => {
    expect(await reserving(randomUUID(), 1_000_000)).toEqual([
      'BEGIN',
      'select users for update',
      'insert credit_reservations',
      'insert outbox',
      'COMMIT',
    ]);
    expect(await reserving(randomUUID(), 100, randomUUID())).toEqual([
      'BEGIN',
      'select users for update',
      'insert credit_reservations',
      'insert outbox',
      'COMMIT',
    ]);
  });

  it('decides a redelivered placement in 2: its insert answers that the order was decided', async () => {
    const orderId = randomUUID();
    await reserving(orderId, 100);
    expect(await reserving(orderId, 100)).toEqual([
      'BEGIN',
      'select users for update',
      'insert credit_reservations',
      'COMMIT',
    ]);
  });

  it('releases in 4: lock the user, the reservation, its release, the user (no event leaves)', async () => {
    const orderId = randomUUID();
    await reserving(orderId, 100);
    expect(await releasing(orderId)).toEqual([
      'BEGIN',
      'select users for update',
      'select credit_reservations',
      'update credit_reservations',
      'update users',
      'COMMIT',
    ]);
  });

  it('marks a cancellation that overtook its placement in 3', async () => {
    expect(await releasing(randomUUID())).toEqual([
      'BEGIN',
      'select users for update',
      'select credit_reservations',
      'insert credit_reservations',
      'COMMIT',
    ]);
  });
});
