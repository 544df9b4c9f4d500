import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { OrderResponse, PaymentResponse, UserResponse } from '@app/contracts';
import { http, type HttpResult } from '../support/http-client.js';
import { queryDatabase } from '../support/postgres-test-kit.js';
import {
  assertSagaInvariants,
  login,
  placeOrder,
  pollUntil,
  registerUser,
  waitForIdle,
  waitForOrderStatus,
  type TestUser,
} from '../support/saga-invariants.js';
import { ADMIN, SystemUnderTest } from '../support/system-under-test.js';

/*
 * The order's payment, end to end in every shape (a parity suite): orders asks payments for the
 * total once the credit is reserved, payments charges the provider (simulated in its database,
 * schema payment_provider) and the order is CONFIRMED on the capture; a decline rejects it and
 * releases the credit; a cancel refunds. After every test the system is idle and the saga's
 * invariants hold, the provider's ledger included (afterEach).
 *
 * One system serves every case whose outcome the provider's answer decides: its decline threshold
 * sits between the small orders (captured) and the large one (declined), all within the credit
 * limit. The late answer needs a second one: it takes a saga timeout shorter than the provider's
 * answer time, and those two settings on the first system would time out every other case.
 */
const DECLINE_ABOVE_CENTS = 50_000;
const SETTLED = ['CONFIRMED', 'REJECTED', 'CANCELLED'];

interface LedgerEntry {
  kind: string;
  amount_cents: string;
}

async function creditReserved(system: SystemUnderTest, token: string): Promise<number> {
  const result = await http<UserResponse>('GET', `${system.api}/users/me`, { token });
  expect(result.status).toBe(200);
  return result.body.creditReservedCents;
}

/** Polls GET /users/me until the user's reserved credit is `cents` (its release is an event away). */
function waitForCreditReserved(system: SystemUnderTest, token: string, cents: number): Promise<number> {
  return pollUntil(
    () => creditReserved(system, token),
    (reserved) => reserved === cents,
  );
}

function getPayment(system: SystemUnderTest, token: string, orderId: string): Promise<HttpResult<PaymentResponse>> {
  return http<PaymentResponse>('GET', `${system.api}/orders/${orderId}/payment`, { token });
}

function waitForPaymentStatus(
  system: SystemUnderTest,
  token: string,
  orderId: string,
  status: string,
  timeoutMs = 30_000,
): Promise<HttpResult<PaymentResponse>> {
  return pollUntil(
    () => getPayment(system, token, orderId),
    (result) => result.status === 200 && result.body.status === status,
    timeoutMs,
  );
}

/** The provider's ledger for one order: its charge and refunds, in the order they were written. */
function ledgerOf(system: SystemUnderTest, orderId: string): Promise<LedgerEntry[]> {
  return queryDatabase<LedgerEntry>(
    system.databases.payments,
    'SELECT kind, amount_cents FROM payment_provider.ledger WHERE order_reference = $1 ORDER BY created_at, kind',
    [orderId],
  );
}

async function placeAndSettle(
  system: SystemUnderTest,
  user: TestUser,
  totalCents: number,
): Promise<HttpResult<OrderResponse>> {
  const placed = await placeOrder(system, user.token, { totalCents });
  expect(placed.status).toBe(201);
  expect(placed.body).toMatchObject({ status: 'PENDING', paymentStatus: 'NOT_REQUESTED', totalCents });
  return waitForOrderStatus(system, user.token, placed.body.id, SETTLED);
}

describe('payments decided by the provider', () => {
  const system = new SystemUnderTest({ PAYMENT_PROVIDER_DECLINE_ABOVE_CENTS: String(DECLINE_ABOVE_CENTS) });

  beforeAll(() => system.start(['users', 'orders', 'payments', 'gateway']), 90_000);

  afterEach(async () => {
    await waitForIdle(system, 60_000);
    await assertSagaInvariants(system);
  }, 90_000);

  afterAll(() => system.stop(), 90_000);

  it('captures the total and confirms the order; the payment is its owner’s and the admin’s to read', async () => {
    const user = await registerUser(system, 'pay-confirm');
    const settled = await placeAndSettle(system, user, 4_200);
    expect(settled.body).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'CAPTURED', rejectionReason: null });
    const orderId = settled.body.id;

    const payment = await getPayment(system, user.token, orderId);
    expect(payment.status).toBe(200);
    expect(payment.body).toEqual({
      id: expect.any(String),
      orderId,
      userId: user.id,
      status: 'CAPTURED',
      amountCents: 4_200,
      currency: 'EUR',
      capturedCents: 4_200,
      refundedCents: 0,
      declineReason: null,
      providerChargeId: expect.any(String),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await ledgerOf(system, orderId)).toEqual([{ kind: 'charge', amount_cents: '4200' }]);
    expect(await creditReserved(system, user.token)).toBe(4_200);

    const other = await registerUser(system, 'pay-other');
    expect((await getPayment(system, other.token, orderId)).status).toBe(404);
    const adminToken = await login(system, ADMIN.email, ADMIN.password);
    const asAdmin = await getPayment(system, adminToken, orderId);
    expect({ status: asAdmin.status, id: asAdmin.body.id }).toEqual({ status: 200, id: payment.body.id });
    expect((await getPayment(system, user.token, randomUUID())).status).toBe(404);
  }, 60_000);

  it('rejects an order the provider declines (PAYMENT_DECLINED), charges nothing and releases the credit', async () => {
    const user = await registerUser(system, 'pay-decline');
    const settled = await placeAndSettle(system, user, DECLINE_ABOVE_CENTS + 10_000);
    expect(settled.body).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'PAYMENT_DECLINED',
      paymentStatus: 'DECLINED',
    });
    const payment = await getPayment(system, user.token, settled.body.id);
    expect(payment.body).toMatchObject({
      status: 'DECLINED',
      capturedCents: 0,
      refundedCents: 0,
      declineReason: expect.any(String),
      providerChargeId: null,
    });
    expect(await ledgerOf(system, settled.body.id)).toEqual([]);
    await waitForCreditReserved(system, user.token, 0);
  }, 60_000);

  it('asks no payment for an order the credit check rejects', async () => {
    const user = await registerUser(system, 'pay-no-credit');
    const settled = await placeAndSettle(system, user, 100_001);
    expect(settled.body).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'INSUFFICIENT_CREDIT',
      paymentStatus: 'NOT_REQUESTED',
    });
    const payment = await getPayment(system, user.token, settled.body.id);
    expect({ status: payment.status, code: (payment.body as unknown as { code?: string }).code }).toEqual({
      status: 404,
      code: 'PAYMENT_NOT_FOUND',
    });
    expect(await ledgerOf(system, settled.body.id)).toEqual([]);
  }, 60_000);

  it('refunds a confirmed order that is cancelled, and releases its credit', async () => {
    const user = await registerUser(system, 'pay-refund');
    const settled = await placeAndSettle(system, user, 3_100);
    expect(settled.body).toMatchObject({ status: 'CONFIRMED', paymentStatus: 'CAPTURED' });
    const orderId = settled.body.id;

    const cancelled = await http<OrderResponse>('POST', `${system.api}/orders/${orderId}/cancel`, {
      token: user.token,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');

    const refunded = await waitForPaymentStatus(system, user.token, orderId, 'REFUNDED');
    expect(refunded.body).toMatchObject({ capturedCents: 3_100, refundedCents: 3_100 });
    expect(await ledgerOf(system, orderId)).toEqual([
      { kind: 'charge', amount_cents: '3100' },
      { kind: 'refund', amount_cents: '3100' },
    ]);
    await pollUntil(
      () => http<OrderResponse>('GET', `${system.api}/orders/${orderId}`, { token: user.token }),
      (order) => order.body.paymentStatus === 'REFUNDED',
    );
    await waitForCreditReserved(system, user.token, 0);
  }, 60_000);

  it('places one order and charges it once for a placement sent twice with the same Idempotency-Key', async () => {
    const user = await registerUser(system, 'pay-replay');
    const key = randomUUID();
    const first = await placeOrder(system, user.token, { idempotencyKey: key, totalCents: 2_500 });
    const second = await placeOrder(system, user.token, { idempotencyKey: key, totalCents: 2_500 });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).toBe(first.body.id);
    await waitForOrderStatus(system, user.token, first.body.id, ['CONFIRMED']);
    // Sent again once the order is settled: the same order, still one charge.
    const third = await placeOrder(system, user.token, { idempotencyKey: key, totalCents: 2_500 });
    expect(third.body.id).toBe(first.body.id);

    const orders = await queryDatabase<{ id: string }>(
      system.databases.orders,
      'SELECT id FROM orders WHERE user_id = $1',
      [user.id],
    );
    expect(orders).toEqual([{ id: first.body.id }]);
    await waitForIdle(system, 60_000);
    expect(await ledgerOf(system, first.body.id)).toEqual([{ kind: 'charge', amount_cents: '2500' }]);
  }, 60_000);
});

describe('a capture answered after the saga timed out', () => {
  // The provider answers after the saga's timeout: the order is rejected first, then the charge
  // that lands anyway must be refunded. The provider's own timeout stays above its answer time,
  // so the answer counts (it is not retried as a transient failure).
  const system = new SystemUnderTest({
    ORDER_SAGA_TIMEOUT_MS: '1500',
    ORDER_SWEEP_INTERVAL_MS: '200',
    PAYMENT_PROVIDER_LATENCY_MS: '4000',
    PAYMENT_PROVIDER_TIMEOUT_MS: '10000',
  });

  beforeAll(() => system.start(['users', 'orders', 'payments', 'gateway']), 90_000);

  afterAll(() => system.stop(), 90_000);

  it('rejects the order on SAGA_TIMEOUT, then refunds the late capture: the provider nets 0', async () => {
    const user = await registerUser(system, 'pay-late');
    const settled = await placeAndSettle(system, user, 1_800);
    expect(settled.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'SAGA_TIMEOUT' });
    const orderId = settled.body.id;

    const refunded = await waitForPaymentStatus(system, user.token, orderId, 'REFUNDED');
    expect(refunded.body).toMatchObject({ capturedCents: 1_800, refundedCents: 1_800 });
    expect(await ledgerOf(system, orderId)).toEqual([
      { kind: 'charge', amount_cents: '1800' },
      { kind: 'refund', amount_cents: '1800' },
    ]);
    await waitForCreditReserved(system, user.token, 0);
    await waitForIdle(system, 60_000);
    await assertSagaInvariants(system);
  }, 90_000);
});
