import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { OrderListResponse, OrderResponse, UserResponse } from '@app/contracts';
import { http, type HttpResult } from '../support/http-client.js';
import { queryDatabase } from '../support/postgres-test-kit.js';
import {
  assertSagaInvariants,
  login,
  orderBody,
  percentile,
  placeOrder,
  pollUntil,
  registerUser,
  waitForIdle,
  waitForOrderStatus,
  type TestUser,
} from '../support/saga-invariants.js';
import { ADMIN, SystemUnderTest } from '../support/system-under-test.js';

/*
 * The order saga end to end, on the default saga timeout (30 s): a happy path must never be
 * decided by the timeout, even on a loaded machine. Every test ends with the system idle and
 * the saga's invariants holding (afterEach).
 */
const system = new SystemUnderTest();

const ORDER_FIELDS = [
  'createdAt',
  'currency',
  'id',
  'items',
  'paymentStatus',
  'rejectionReason',
  'status',
  'totalCents',
  'updatedAt',
  'userId',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SETTLED = ['CONFIRMED', 'REJECTED', 'CANCELLED'];

function expectProblem(result: HttpResult, status: number, code: string): void {
  expect({ status: result.status, code: result.body?.code }).toEqual({ status, code });
  expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(result.text).not.toMatch(/stack|SELECT|at .*\.js:\d+/i);
}

async function me(token: string): Promise<UserResponse> {
  const result = await http<UserResponse & Record<string, unknown>>('GET', `${system.api}/users/me`, { token });
  expect(result.status).toBe(200);
  return result.body;
}

function subjectOf(token: string): string {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).sub as string;
}

async function ordersOfUser(
  userId: string,
): Promise<{ id: string; status: string; rejection_reason: string | null }[]> {
  return queryDatabase(
    system.databases.orders,
    'SELECT id, status, rejection_reason FROM orders WHERE user_id = $1 ORDER BY created_at',
    [userId],
  );
}

/** Runs `tasks` with at most `width` of them in flight. */
async function inBatches<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += width) {
    results.push(...(await Promise.all(tasks.slice(i, i + width).map((task) => task()))));
  }
  return results;
}

beforeAll(async () => {
  await system.start(['users', 'orders', 'payments', 'gateway']);
}, 90_000);

afterEach(async () => {
  await waitForIdle(system, 60_000);
  await assertSagaInvariants(system);
}, 90_000);

afterAll(() => system.stop(), 90_000);

describe('placing an order', () => {
  it('answers 201 PENDING, then confirms it and reserves its total', async () => {
    const user = await registerUser(system, 'confirm');
    const body = {
      currency: 'EUR',
      items: [
        { sku: 'SKU-1', quantity: 2, unitPriceCents: 1999 },
        { sku: 'SKU-2', quantity: 1, unitPriceCents: 500 },
      ],
    };
    const placed = await placeOrder(system, user.token, { body });
    const answeredAt = performance.now();
    expect(placed.status).toBe(201);
    expect(Object.keys(placed.body).sort()).toEqual(ORDER_FIELDS);
    expect(placed.body).toEqual({
      id: expect.stringMatching(UUID),
      userId: user.id,
      status: 'PENDING',
      items: body.items,
      totalCents: 4498,
      currency: 'EUR',
      rejectionReason: null,
      paymentStatus: 'NOT_REQUESTED',
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
    });
    expect(placed.body.userId).toBe(subjectOf(user.token));

    const settled = await waitForOrderStatus(system, user.token, placed.body.id, SETTLED, 30_000, 10);
    const elapsedMs = performance.now() - answeredAt;
    expect(settled.body).toMatchObject({
      id: placed.body.id,
      status: 'CONFIRMED',
      rejectionReason: null,
      paymentStatus: 'CAPTURED',
    });
    expect(Object.keys(settled.body).sort()).toEqual(ORDER_FIELDS);
    console.log(`201 → CONFIRMED as seen by a client polling every 10 ms: ${elapsedMs.toFixed(1)} ms`);
    expect((await me(user.token)).creditReservedCents).toBe(4498);
  }, 60_000);

  it('rejects an order over the credit limit with INSUFFICIENT_CREDIT and reserves nothing', async () => {
    const user = await registerUser(system, 'over-limit');
    const placed = await placeOrder(system, user.token, { totalCents: 100_001 });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'PENDING', totalCents: 100_001 });
    const settled = await waitForOrderStatus(system, user.token, placed.body.id, SETTLED);
    expect(settled.body).toMatchObject({ status: 'REJECTED', rejectionReason: 'INSUFFICIENT_CREDIT' });
    expect(await me(user.token)).toMatchObject({ creditLimitCents: 100_000, creditReservedCents: 0 });
  }, 60_000);

  it('refuses mass-assigned userId, status and totalCents with 400 and creates nothing', async () => {
    const user = await registerUser(system, 'mass-assign');
    const victim = await registerUser(system, 'mass-victim');
    const result = await placeOrder(system, user.token, {
      body: { ...orderBody(1000), userId: victim.id, status: 'CONFIRMED', totalCents: 1 },
    });
    expectProblem(result, 400, 'VALIDATION_FAILED');
    const fields = (result.body.errors as { field: string }[]).map((error) => error.field).sort();
    expect(fields).toEqual(['status', 'totalCents', 'userId']);
    expect(await ordersOfUser(user.id)).toEqual([]);
    expect(await ordersOfUser(victim.id)).toEqual([]);
    const keys = await queryDatabase(system.databases.orders, 'SELECT key FROM idempotency_keys WHERE user_id = $1', [
      user.id,
    ]);
    expect(keys).toEqual([]);
  }, 60_000);
});

describe('cancelling', () => {
  it('releases the credit of a confirmed order, is idempotent, and refuses a rejected order', async () => {
    const user = await registerUser(system, 'cancel');
    const placed = await placeOrder(system, user.token, { totalCents: 30_000 });
    expect(placed.status).toBe(201);
    await waitForOrderStatus(system, user.token, placed.body.id, ['CONFIRMED']);
    expect((await me(user.token)).creditReservedCents).toBe(30_000);

    const cancelled = await http<OrderResponse>('POST', `${system.api}/orders/${placed.body.id}/cancel`, {
      token: user.token,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: placed.body.id, status: 'CANCELLED', totalCents: 30_000 });
    expect(Object.keys(cancelled.body).sort()).toEqual(ORDER_FIELDS);
    await pollUntil(
      () => me(user.token),
      (profile) => profile.creditReservedCents === 0,
    );

    const again = await http<OrderResponse>('POST', `${system.api}/orders/${placed.body.id}/cancel`, {
      token: user.token,
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: placed.body.id, status: 'CANCELLED' });
    expect(
      (await http<OrderResponse>('GET', `${system.api}/orders/${placed.body.id}`, { token: user.token })).body,
    ).toMatchObject({ status: 'CANCELLED' });

    const rejected = await placeOrder(system, user.token, { totalCents: 100_001 });
    await waitForOrderStatus(system, user.token, rejected.body.id, ['REJECTED']);
    expectProblem(
      await http('POST', `${system.api}/orders/${rejected.body.id}/cancel`, { token: user.token }),
      409,
      'ORDER_NOT_CANCELLABLE',
    );
    // one OrderCancelled for the cancelled order, none for the rejected one
    const cancellations = await queryDatabase<{ order_id: string }>(
      system.databases.orders,
      "SELECT payload->>'orderId' AS order_id FROM outbox WHERE type = 'OrderCancelled' AND payload->>'userId' = $1",
      [user.id],
    );
    expect(cancellations).toEqual([{ order_id: placed.body.id }]);
  }, 60_000);

  it('cancels orders while still PENDING and releases whatever their race with the credit check reserved', async () => {
    const user = await registerUser(system, 'cancel-pending');
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const placed = await placeOrder(system, user.token, { totalCents: 4000 });
        expect(placed.status).toBe(201);
        const cancelled = await http<OrderResponse>('POST', `${system.api}/orders/${placed.body.id}/cancel`, {
          token: user.token,
        });
        return { id: placed.body.id, status: cancelled.status, order: cancelled.body.status };
      }),
    );
    expect(outcomes.map((outcome) => [outcome.status, outcome.order])).toEqual(Array(20).fill([200, 'CANCELLED']));
    await waitForIdle(system, 60_000);
    expect((await ordersOfUser(user.id)).map((row) => row.status)).toEqual(Array(20).fill('CANCELLED'));
    const reservations = await queryDatabase<{ status: string; n: number }>(
      system.databases.users,
      'SELECT status, count(*)::int AS n FROM credit_reservations WHERE user_id = $1 GROUP BY 1',
      [user.id],
    );
    expect(reservations).toEqual([{ status: 'RELEASED', n: 20 }]);
    expect((await me(user.token)).creditReservedCents).toBe(0);
  }, 60_000);
});

describe('idempotent placement', () => {
  it('replays the first answer, marked Idempotent-Replayed, for the same key and body; refuses another body; requires the key', async () => {
    const user = await registerUser(system, 'idempotent');
    const key = `key-${randomUUID()}`;
    const first = await placeOrder(system, user.token, { idempotencyKey: key, totalCents: 1234 });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    await waitForOrderStatus(system, user.token, first.body.id, ['CONFIRMED']);
    const replay = await placeOrder(system, user.token, { idempotencyKey: key, totalCents: 1234 });
    expect(replay.status).toBe(first.status);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await ordersOfUser(user.id)).toHaveLength(1);

    const reused = await placeOrder(system, user.token, { idempotencyKey: key, totalCents: 1235 });
    expectProblem(reused, 409, 'IDEMPOTENCY_KEY_REUSED');
    expect(reused.headers.get('idempotent-replayed')).toBeNull();
    const missing = await placeOrder(system, user.token, { idempotencyKey: null });
    expectProblem(missing, 400, 'VALIDATION_FAILED');
    expect(missing.body.errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect(await ordersOfUser(user.id)).toHaveLength(1);
  }, 60_000);

  it('creates one order for 20 concurrent requests with the same key and body', async () => {
    const user = await registerUser(system, 'idempotent-race');
    const key = `race-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => placeOrder(system, user.token, { idempotencyKey: key, totalCents: 2000 })),
    );
    expect(results.map((result) => result.status)).toEqual(Array(20).fill(201));
    const ids = new Set(results.map((result) => result.body.id));
    expect(ids.size).toBe(1);
    for (const result of results) expect(result.body).toEqual(results[0]!.body);
    // One request placed it; the 19 others were answered its stored answer.
    expect(results.filter((result) => result.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    const rows = await ordersOfUser(user.id);
    expect(rows.map((row) => row.id)).toEqual([...ids]);
    await waitForOrderStatus(system, user.token, results[0]!.body.id, ['CONFIRMED']);
    expect((await me(user.token)).creditReservedCents).toBe(2000);
  }, 60_000);
});

describe('access to orders', () => {
  it("404s another user's order for reading and cancelling, and lets the admin read it", async () => {
    const owner = await registerUser(system, 'owner');
    const other = await registerUser(system, 'other');
    const placed = await placeOrder(system, owner.token, { totalCents: 700 });
    await waitForOrderStatus(system, owner.token, placed.body.id, ['CONFIRMED']);

    expectProblem(
      await http('GET', `${system.api}/orders/${placed.body.id}`, { token: other.token }),
      404,
      'ORDER_NOT_FOUND',
    );
    expectProblem(
      await http('POST', `${system.api}/orders/${placed.body.id}/cancel`, { token: other.token }),
      404,
      'ORDER_NOT_FOUND',
    );
    expectProblem(
      await http('GET', `${system.api}/orders/${randomUUID()}`, { token: other.token }),
      404,
      'ORDER_NOT_FOUND',
    );

    const adminToken = await login(system, ADMIN.email, ADMIN.password);
    const byAdmin = await http<OrderResponse>('GET', `${system.api}/orders/${placed.body.id}`, { token: adminToken });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body).toMatchObject({ id: placed.body.id, userId: owner.id, status: 'CONFIRMED' });
    // the failed cancel changed nothing
    expect((await me(owner.token)).creditReservedCents).toBe(700);
  }, 60_000);
});

describe('listing orders', () => {
  let owner: TestUser;
  const placedIds: string[] = [];
  const rejectedIds: string[] = [];

  beforeAll(async () => {
    owner = await registerUser(system, 'lister');
    for (let i = 0; i < 25; i += 1) {
      const overLimit = i % 5 === 2; // 5 of them are rejected
      const placed = await placeOrder(system, owner.token, { totalCents: overLimit ? 100_001 : 1000 + i });
      expect(placed.status).toBe(201);
      placedIds.push(placed.body.id);
      if (overLimit) rejectedIds.push(placed.body.id);
    }
    await waitForIdle(system, 60_000);
  }, 90_000);

  const list = (token: string, query: string) =>
    http<OrderListResponse & Record<string, unknown>>('GET', `${system.api}/orders${query}`, { token });

  it('pages through 25 orders newest first with nextCursor, without duplicates or gaps', async () => {
    const pages: OrderListResponse[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await list(owner.token, query);
      expect(page.status).toBe(200);
      pages.push(page.body);
      cursor = page.body.nextCursor;
    } while (cursor && pages.length < 10);
    expect(pages.map((page) => page.items.length)).toEqual([10, 10, 5]);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    const ids = pages.flatMap((page) => page.items.map((item) => item.id));
    expect(ids).toEqual([...placedIds].reverse());
    expect(new Set(ids).size).toBe(25);
    for (const item of pages.flatMap((page) => page.items)) {
      expect(Object.keys(item).sort()).toEqual(ORDER_FIELDS);
      expect(item.userId).toBe(owner.id);
    }
  }, 60_000);

  it('filters by status', async () => {
    const page = await list(owner.token, '?status=REJECTED');
    expect(page.status).toBe(200);
    expect(page.body.items.map((item) => item.id)).toEqual([...rejectedIds].reverse());
    expect(page.body.items.every((item) => item.rejectionReason === 'INSUFFICIENT_CREDIT')).toBe(true);
    expect(page.body.nextCursor).toBeNull();
    const confirmed = await list(owner.token, '?status=CONFIRMED&limit=100');
    expect(confirmed.body.items).toHaveLength(20);
  }, 60_000);

  it('refuses an unknown status, a limit over 100 and a tampered cursor with 400', async () => {
    expectProblem(await list(owner.token, '?status=SHIPPED'), 400, 'VALIDATION_FAILED');
    expectProblem(await list(owner.token, '?limit=101'), 400, 'VALIDATION_FAILED');
    expectProblem(await list(owner.token, '?limit=0'), 400, 'VALIDATION_FAILED');
    const first = await list(owner.token, '?limit=10');
    const [createdAt] = Buffer.from(first.body.nextCursor!, 'base64url').toString('utf8').split('|');
    const tampered = [
      Buffer.from(`${createdAt}|not-a-uuid`).toString('base64url'),
      Buffer.from(`not-a-date|${placedIds[0]}`).toString('base64url'),
      'garbage',
      `${first.body.nextCursor!.slice(0, -4)}!!!!`,
    ];
    for (const cursor of tampered) {
      expectProblem(await list(owner.token, `?cursor=${encodeURIComponent(cursor)}`), 400, 'VALIDATION_FAILED');
    }
  }, 60_000);

  it("does not show one user's orders to another", async () => {
    const stranger = await registerUser(system, 'stranger');
    const page = await list(stranger.token, '?limit=100');
    expect(page.status).toBe(200);
    expect(page.body).toEqual({ items: [], nextCursor: null });
  }, 60_000);
});

describe('concurrency', () => {
  it('confirms exactly 10 of 50 concurrent 10000-cent orders against a 100000-cent limit', async () => {
    const user = await registerUser(system, 'concurrent');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => placeOrder(system, user.token, { totalCents: 10_000 })),
    );
    expect(results.map((result) => result.status)).toEqual(Array(50).fill(201));
    expect(new Set(results.map((result) => result.body.id)).size).toBe(50);
    await waitForIdle(system, 60_000);

    const tally = await queryDatabase<{ status: string; reason: string | null; n: number }>(
      system.databases.orders,
      `SELECT status, rejection_reason AS reason, count(*)::int AS n FROM orders WHERE user_id = $1
        GROUP BY 1, 2 ORDER BY 1`,
      [user.id],
    );
    expect(tally).toEqual([
      { status: 'CONFIRMED', reason: null, n: 10 },
      { status: 'REJECTED', reason: 'INSUFFICIENT_CREDIT', n: 40 },
    ]);
    expect(await me(user.token)).toMatchObject({ creditLimitCents: 100_000, creditReservedCents: 100_000 });
  }, 120_000);
});

describe('latency', () => {
  it('prints p50/p99 of placed → CONFIRMED over 200 orders', async () => {
    // 4 users × 50 orders × 1000 cents: every order fits its user's limit.
    const users = await Promise.all([1, 2, 3, 4].map((i) => registerUser(system, `latency-${i}`)));
    const started = performance.now();
    const results = await inBatches(
      Array.from({ length: 200 }, (_, i) => () => placeOrder(system, users[i % 4]!.token, { totalCents: 1000 })),
      10,
    );
    const placingMs = performance.now() - started;
    expect(results.map((result) => result.status)).toEqual(Array(200).fill(201));
    await waitForIdle(system, 90_000);

    const rows = await queryDatabase<{ status: string; ms: string }>(
      system.databases.orders,
      `SELECT status, extract(epoch FROM updated_at - created_at) * 1000 AS ms FROM orders WHERE id = ANY($1::uuid[])`,
      [results.map((result) => result.body.id)],
    );
    expect(rows).toHaveLength(200);
    expect(rows.filter((row) => row.status !== 'CONFIRMED')).toEqual([]);
    const latencies = rows.map((row) => Number(row.ms));
    const figure = (p: number) => percentile(latencies, p).toFixed(1);
    console.log(
      `placed → CONFIRMED over ${latencies.length} orders (orders.updated_at - created_at, 10 in flight): ` +
        `p50 ${figure(50)} ms, p90 ${figure(90)} ms, p99 ${figure(99)} ms, max ${figure(100)} ms; ` +
        `200 placements took ${placingMs.toFixed(0)} ms (${((200 / placingMs) * 1000).toFixed(0)}/s)`,
    );
    for (const user of users) expect((await me(user.token)).creditReservedCents).toBe(50_000);
  }, 180_000);
});
