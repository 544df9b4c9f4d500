import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { TransactionRunner } from '@app/platform';
import { ProviderUnavailableError } from '../../application/index.js';
import { openPaymentsTestDatabase } from '../testing/payments-test-database.js';
import { SimulatedPaymentProvider } from './simulated-payment-provider.js';
import type { SimulatedProviderSettings } from './simulated-provider-settings.js';

let dataSource: DataSource;
let drop: () => Promise<void>;

const SETTINGS: SimulatedProviderSettings = {
  latencyMs: 0,
  failureRate: 0,
  declineAboveCents: 1_000_000,
  customerLimitCents: 0,
  timeoutMs: 2000,
};

beforeAll(async () => {
  ({ dataSource, drop } = await openPaymentsTestDatabase('payments_provider'));
}, 60_000);

afterAll(() => drop(), 60_000);

const provider = (settings: Partial<SimulatedProviderSettings> = {}) =>
  new SimulatedPaymentProvider(dataSource, { ...SETTINGS, ...settings });

/** Draws in turn: the first decides whether the call fails, the second before or after recording. */
const draws =
  (...values: number[]) =>
  () =>
    values.shift() ?? 0.99;

function ledgerOf(captureKey: string): Promise<{ kind: string; amount_cents: string }[]> {
  return dataSource.query(
    'SELECT kind, amount_cents FROM payment_provider.ledger WHERE capture_key = $1 ORDER BY created_at, kind',
    [captureKey],
  );
}

const aKey = () => `capture:${randomUUID()}`;

describe('SimulatedPaymentProvider', () => {
  it('answers the same key twice with the same charge, and writes one ledger row', async () => {
    const key = aKey();
    const first = await provider().capture(key, 'cust-1', 1200, 'EUR', 'order-1');
    const second = await provider().capture(key, 'cust-1', 1200, 'EUR', 'order-1');
    expect(first.outcome).toBe('captured');
    expect(second).toEqual(first);
    expect(await ledgerOf(key)).toEqual([{ kind: 'charge', amount_cents: '1200' }]);
  });

  it('keeps one charge when the same key is sent concurrently', async () => {
    const key = aKey();
    const answers = await Promise.all([1, 2, 3, 4].map(() => provider().capture(key, 'cust-2', 700, 'EUR', 'o')));
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(await ledgerOf(key)).toHaveLength(1);
  });

  it('fails before recording anything with failure rate 1 (first half of the draws)', async () => {
    const key = aKey();
    await expect(
      provider({ failureRate: 1, random: draws(0, 0.1) }).capture(key, 'c', 100, 'EUR', 'o'),
    ).rejects.toThrow(ProviderUnavailableError);
    expect(await ledgerOf(key)).toEqual([]);
  });

  it('fails after recording the charge with failure rate 1 (second half), and the retry finds that charge', async () => {
    const key = aKey();
    await expect(
      provider({ failureRate: 1, random: draws(0, 0.9) }).capture(key, 'c', 100, 'EUR', 'o'),
    ).rejects.toThrow(ProviderUnavailableError);
    expect(await ledgerOf(key)).toEqual([{ kind: 'charge', amount_cents: '100' }]);
    expect((await provider().capture(key, 'c', 100, 'EUR', 'o')).outcome).toBe('captured');
    expect(await ledgerOf(key)).toHaveLength(1);
  });

  it('declines a charge over the amount limit, writes no ledger row, and answers the same again', async () => {
    const key = aKey();
    const declined = { outcome: 'declined', reason: 'AMOUNT_OVER_LIMIT' };
    expect(await provider({ declineAboveCents: 500 }).capture(key, 'c', 501, 'EUR', 'o')).toEqual(declined);
    expect(await provider({ declineAboveCents: 5000 }).capture(key, 'c', 501, 'EUR', 'o')).toEqual(declined);
    expect(await ledgerOf(key)).toEqual([]);
  });

  it("declines a charge that would take the customer's net captured total over the limit", async () => {
    const customer = `cust-${randomUUID()}`;
    const limited = provider({ customerLimitCents: 1000 });
    const first = aKey();
    expect((await limited.capture(first, customer, 600, 'EUR', 'o1')).outcome).toBe('captured');
    expect(await limited.capture(aKey(), customer, 500, 'EUR', 'o2')).toEqual({
      outcome: 'declined',
      reason: 'CUSTOMER_LIMIT_EXCEEDED',
    });
    // a refund frees the room again
    await limited.refund(`refund:${first}`, first);
    expect((await limited.capture(aKey(), customer, 500, 'EUR', 'o3')).outcome).toBe('captured');
  });

  it('refunds what the capture key charged once per refund key, and nothing when it charged nothing', async () => {
    const key = aKey();
    await provider().capture(key, 'c', 900, 'EUR', 'o');
    expect(await provider().refund('refund:a', key)).toEqual({ outcome: 'refunded', amountCents: 900 });
    expect(await provider().refund('refund:a', key)).toEqual({ outcome: 'refunded', amountCents: 900 });
    expect(await ledgerOf(key)).toEqual([
      { kind: 'charge', amount_cents: '900' },
      { kind: 'refund', amount_cents: '900' },
    ]);
    expect(await provider().refund(`refund:${randomUUID()}`, aKey())).toEqual({
      outcome: 'nothing_to_refund',
      amountCents: 0,
    });
  });

  it('writes on its own connection: a rollback of our transaction does not undo a charge', async () => {
    const key = aKey();
    const transactions = new TransactionRunner(dataSource);
    await expect(
      transactions.run(async () => {
        await provider().capture(key, 'c', 300, 'EUR', 'o');
        throw new Error('our transaction fails');
      }),
    ).rejects.toThrow('our transaction fails');
    expect(await ledgerOf(key)).toHaveLength(1);
  });

  it('answers a call past our deadline as unavailable, though the ledger row was written first', async () => {
    const key = aKey();
    await expect(provider({ latencyMs: 1500, timeoutMs: 300 }).capture(key, 'c', 100, 'EUR', 'o')).rejects.toThrow(
      'no answer within 300 ms',
    );
    expect(await ledgerOf(key)).toHaveLength(1);
  });

  it("keeps its ledger across a new adapter (a restart of ours): the key's charge is answered again", async () => {
    const key = aKey();
    const first = await provider().capture(key, 'c', 100, 'EUR', 'o');
    expect(await new SimulatedPaymentProvider(dataSource, SETTINGS).capture(key, 'c', 100, 'EUR', 'o')).toEqual(first);
  });
});
