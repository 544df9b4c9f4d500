import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROOT_CONTEXT, context as otelContext, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { DataSource } from 'typeorm';
import { ConcurrencyConflictError } from '@app/ddd';
import { TransactionRunner, runInMessageContext } from '@app/platform';
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

async function claim(now: Date, leaseMs: number, limit: number): Promise<Payment[]> {
  return (await repository.claimDue(now, leaseMs, limit)).map(({ payment }) => payment);
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
    const claimed = (await claim(now, 60_000, 1000)).filter((p) => p.orderId === payment.orderId);
    expect(claimed.map((p) => [p.attempts, p.version])).toEqual([[1, 2]]);
    expect((await claim(now, 60_000, 1000)).some((p) => p.orderId === payment.orderId)).toBe(false);

    const held = claimed[0]!;
    held.recordProviderUnavailable(new Date(now.getTime() - 1), now);
    await transactions.run(() => repository.save(held, { releaseLease: true }));
    expect((await claim(new Date(), 60_000, 1000)).some((p) => p.orderId === payment.orderId)).toBe(true);
  });

  it('never lets two concurrent processors hold one payment', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 40; i += 1) ids.add((await aSavedPayment()).orderId);
    const now = new Date();

    const runs = await Promise.all([1, 2, 3, 4, 5].map(() => claim(now, 60_000, 15)));

    const claimed = runs.flat().filter((p) => ids.has(p.orderId));
    const orderIds = claimed.map((p) => p.orderId);
    expect(new Set(orderIds).size).toBe(orderIds.length);
    expect(orderIds.length).toBe(ids.size);
    expect(claimed.every((p) => p.attempts === 1)).toBe(true);
  });
});

describe('SqlPaymentRepository, the origin of the due work', () => {
  const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
  const asIfHandling = <T>(id: string, spanId: string, work: () => Promise<T>): Promise<T> =>
    otelContext.with(trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId, traceFlags: 1 }), () =>
      runInMessageContext({ correlationId: `corr-${id}`, causationId: `event-${id}` }, work),
    );
  const originOf = async (orderId: string) => {
    const claimed = await repository.claimDue(new Date(), 0, 1000);
    return claimed.find(({ payment }) => payment.orderId === orderId)?.origin;
  };

  beforeAll(() => {
    otelContext.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });

  afterAll(() => {
    otelContext.disable();
    propagation.disable();
  });

  it("records the handled message's correlation, causation and trace, and hands them back with the claim", async () => {
    const payment = Payment.request({
      id: randomUUID(),
      orderId: randomUUID(),
      userId: randomUUID(),
      amountCents: 4200,
      currency: 'EUR',
      now: new Date(Date.now() - 1000),
    });
    await asIfHandling('request', 'b7ad6b7169203331', () => transactions.run(() => repository.save(payment)));

    expect(await originOf(payment.orderId)).toEqual({
      correlationId: 'corr-request',
      causationId: 'event-request',
      trace: { traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` },
    });
  });

  it("keeps it through the processor's answers, and takes the cancellation's once that makes a refund due", async () => {
    const payment = Payment.request({
      id: randomUUID(),
      orderId: randomUUID(),
      userId: randomUUID(),
      amountCents: 4200,
      currency: 'EUR',
      now: new Date(Date.now() - 1000),
    });
    await asIfHandling('request', 'b7ad6b7169203331', () => transactions.run(() => repository.save(payment)));
    const [held] = (await repository.claimDue(new Date(), 0, 1000)).filter(
      (c) => c.payment.orderId === payment.orderId,
    );
    const answer = held!.payment;
    answer.recordProviderUnavailable(new Date(Date.now() - 1), new Date());
    await asIfHandling('request', '00f067aa0ba902b7', () =>
      transactions.run(() => repository.save(answer, { releaseLease: true })),
    );
    expect((await originOf(payment.orderId))?.trace).toEqual({ traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` });

    const cancelled = (await repository.findByOrderId(payment.orderId))!;
    expect(cancelled.compensate(new Date(Date.now() - 1))).toBe(true);
    await asIfHandling('cancel', '53995c3f42cd8ad8', () => transactions.run(() => repository.save(cancelled)));
    expect(await originOf(payment.orderId)).toEqual({
      correlationId: 'corr-cancel',
      causationId: 'event-cancel',
      trace: { traceparent: `00-${TRACE_ID}-53995c3f42cd8ad8-01` },
    });
  });

  it('records no origin for a payment saved outside any message', async () => {
    const payment = await aSavedPayment();
    expect(await originOf(payment.orderId)).toBeNull();
  });
});
