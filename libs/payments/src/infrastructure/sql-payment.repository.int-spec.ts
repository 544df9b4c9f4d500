import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ConcurrencyConflictError } from '@app/ddd';
import { TransactionRunner } from '@app/platform';
import { Payment } from '../domain/index.js';
import { SqlPaymentRepository } from './sql-payment.repository.js';
import { openPaymentsTestDatabase } from './testing/payments-test-database.js';

let dataSource: DataSource;
let drop: () => Promise<void>;
let transactions: TransactionRunner;
let repository: SqlPaymentRepository;

beforeAll(async () => {
  ({ dataSource, drop } = await openPaymentsTestDatabase('payments_repo', 10));
  transactions = new TransactionRunner(dataSource);
  repository = new SqlPaymentRepository(transactions);
}, 60_000);

afterAll(() => drop(), 60_000);

async function aSavedPayment(now = new Date(Date.now() - 1000)): Promise<Payment> {
  const payment = Payment.request({
    id: randomUUID(),
    orderId: randomUUID(),
    userId: randomUUID(),
    amountCents: 4200,
    currency: 'EUR',
    now,
  });
  await transactions.run(() => repository.save(payment));
  return payment;
}

describe('SqlPaymentRepository', () => {
  it('saves and loads a payment as it was', async () => {
    const payment = await aSavedPayment();
    const loaded = await repository.findByOrderId(payment.orderId);
    expect(loaded).toMatchObject({ id: payment.id, status: 'PENDING', amountCents: 4200, version: 1, attempts: 0 });
  });

  it('refuses a second payment for one order, and a stale save', async () => {
    const payment = await aSavedPayment();
    const twin = Payment.request({
      id: randomUUID(),
      orderId: payment.orderId,
      userId: payment.userId,
      amountCents: 4200,
      currency: 'EUR',
      now: new Date(),
    });
    await expect(transactions.run(() => repository.save(twin))).rejects.toThrow(ConcurrencyConflictError);

    const a = (await repository.findByOrderId(payment.orderId))!;
    const b = (await repository.findByOrderId(payment.orderId))!;
    a.compensate(new Date());
    await transactions.run(() => repository.save(a));
    b.compensate(new Date());
    await expect(transactions.run(() => repository.save(b))).rejects.toThrow(ConcurrencyConflictError);
  });

  it('claims a due payment once, counting the provider call, until its lease ends or the answer releases it', async () => {
    const payment = await aSavedPayment();
    const now = new Date();
    const claimed = (await repository.claimDue(now, 60_000, 1000)).filter((p) => p.orderId === payment.orderId);
    expect(claimed.map((p) => [p.attempts, p.version])).toEqual([[1, 2]]);
    expect((await repository.claimDue(now, 60_000, 1000)).some((p) => p.orderId === payment.orderId)).toBe(false);

    const held = claimed[0]!;
    held.recordProviderUnavailable(new Date(now.getTime() - 1), now);
    await transactions.run(() => repository.save(held, { releaseLease: true }));
    expect((await repository.claimDue(new Date(), 60_000, 1000)).some((p) => p.orderId === payment.orderId)).toBe(true);
  });

  it('never lets two concurrent processors hold one payment', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 40; i += 1) ids.add((await aSavedPayment()).orderId);
    const now = new Date();

    const runs = await Promise.all([1, 2, 3, 4, 5].map(() => repository.claimDue(now, 60_000, 15)));

    const claimed = runs.flat().filter((p) => ids.has(p.orderId));
    const orderIds = claimed.map((p) => p.orderId);
    expect(new Set(orderIds).size).toBe(orderIds.length);
    expect(orderIds.length).toBe(ids.size);
    expect(claimed.every((p) => p.attempts === 1)).toBe(true);
  });
});
