import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { TransactionRunner } from '@app/platform';
import type { StoredAnswer } from '../application/index.js';
import { toOrderResponse } from '../application/order-response.mapper.js';
import { SqlIdempotencyKeys } from './sql-idempotency-keys.js';
import { aPlacedOrder } from './testing/order-fixtures.js';
import { openOrdersTestDatabase } from './testing/orders-test-database.js';

let dataSource: DataSource;
let drop: () => Promise<void>;
let transactions: TransactionRunner;
let keys: SqlIdempotencyKeys;

beforeAll(async () => {
  ({ dataSource, drop } = await openOrdersTestDatabase('orders_keys'));
  transactions = new TransactionRunner(dataSource);
  keys = new SqlIdempotencyKeys(transactions);
}, 60_000);

afterAll(() => drop(), 60_000);

function anAnswer(userId: string, requestHash = 'hash-a'): StoredAnswer {
  return { requestHash, response: toOrderResponse(aPlacedOrder(userId)) };
}

/** Resolves after `ms`, to `value`: to tell a promise still waiting from one that resolved. */
function after<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}

async function storedKeys(userId: string): Promise<unknown[]> {
  return dataSource.query('SELECT key, request_hash, response FROM idempotency_keys WHERE user_id = $1 ORDER BY key', [
    userId,
  ]);
}

describe('SqlIdempotencyKeys', () => {
  it('claims a new key with its answer', async () => {
    const userId = randomUUID();
    const answer = anAnswer(userId);

    expect(await transactions.run(() => keys.claim(userId, 'k1', answer))).toBeNull();

    expect(await storedKeys(userId)).toEqual([{ key: 'k1', request_hash: 'hash-a', response: answer.response }]);
  });

  it('answers a claimed key with the first answer, whatever the second request is, storing nothing', async () => {
    const userId = randomUUID();
    const first = anAnswer(userId, 'hash-a');
    await transactions.run(() => keys.claim(userId, 'k1', first));

    expect(await transactions.run(() => keys.claim(userId, 'k1', anAnswer(userId, 'hash-b')))).toEqual(first);

    expect(await storedKeys(userId)).toEqual([{ key: 'k1', request_hash: 'hash-a', response: first.response }]);
  });

  it('keeps keys per user', async () => {
    const [ada, grace] = [randomUUID(), randomUUID()];
    await transactions.run(() => keys.claim(ada, 'shared', anAnswer(ada)));

    expect(await transactions.run(() => keys.claim(grace, 'shared', anAnswer(grace)))).toBeNull();
  });

  it('frees a key whose unit of work rolled back', async () => {
    const userId = randomUUID();
    const failure = new Error('the order could not be saved');
    await expect(
      transactions.run(async () => {
        await keys.claim(userId, 'k1', anAnswer(userId, 'hash-a'));
        throw failure;
      }),
    ).rejects.toBe(failure);

    const retry = anAnswer(userId, 'hash-a');
    expect(await transactions.run(() => keys.claim(userId, 'k1', retry))).toBeNull();
    expect(await storedKeys(userId)).toEqual([{ key: 'k1', request_hash: 'hash-a', response: retry.response }]);
  });

  it('makes a concurrent claim of the same key wait for the first, then answers the first answer', async () => {
    const userId = randomUUID();
    const first = anAnswer(userId, 'hash-a');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const firstClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const firstUnit = transactions.run(async () => {
      const answer = await keys.claim(userId, 'k1', first);
      claimed();
      await held;
      return answer;
    });
    await firstClaimed;

    const second = transactions.run(() => keys.claim(userId, 'k1', anAnswer(userId, 'hash-b')));
    expect(await Promise.race([second, after(300, 'still waiting')])).toBe('still waiting');
    release();

    expect(await firstUnit).toBeNull();
    expect(await second).toEqual(first);
  });

  it('lets a concurrent claim have the key when the first unit of work rolls back', async () => {
    const userId = randomUUID();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let claimed!: () => void;
    const firstClaimed = new Promise<void>((resolve) => (claimed = resolve));
    const firstUnit = transactions.run(async () => {
      await keys.claim(userId, 'k1', anAnswer(userId, 'hash-a'));
      claimed();
      await held;
      throw new Error('rolled back');
    });
    await firstClaimed;

    const secondAnswer = anAnswer(userId, 'hash-b');
    const second = transactions.run(() => keys.claim(userId, 'k1', secondAnswer));
    expect(await Promise.race([second, after(300, 'still waiting')])).toBe('still waiting');
    release();

    await expect(firstUnit).rejects.toThrow('rolled back');
    expect(await second).toBeNull();
    expect(await storedKeys(userId)).toEqual([{ key: 'k1', request_hash: 'hash-b', response: secondAnswer.response }]);
  });

  it('purges the keys older than the cutoff and keeps the younger ones', async () => {
    const userId = randomUUID();
    for (const key of ['old-1', 'old-2', 'young'])
      await transactions.run(() => keys.claim(userId, key, anAnswer(userId)));
    await dataSource.query(
      `UPDATE idempotency_keys SET created_at = '2001-01-01T00:00:00Z' WHERE user_id = $1 AND key LIKE 'old-%'`,
      [userId],
    );

    expect(await keys.purgeOlderThan(new Date('2001-01-02T00:00:00Z'))).toBe(2);

    expect((await storedKeys(userId)).map((row) => (row as { key: string }).key)).toEqual(['young']);
  });
});
