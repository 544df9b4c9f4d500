import { randomUUID } from 'node:crypto';
import type { OrderResponse } from '@app/contracts';
import { http, type HttpResult } from './http-client.js';
import type { SystemUnderTest } from './system-under-test.js';

/* Helpers to drive the system through the gateway, as a client would. */

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface TestUser {
  id: string;
  token: string;
  email: string;
}

/** Registers a user with a unique email and logs in. */
export async function registerUser(system: SystemUnderTest, label = 'user'): Promise<TestUser> {
  const email = `${label}-${randomUUID().slice(0, 8)}@saga.test`;
  const password = 'saga-password-1';
  const registered = await http<{ id: string }>('POST', `${system.api}/auth/register`, {
    body: { email, password, name: label },
  });
  if (registered.status !== 201) throw new Error(`register ${email}: ${registered.status} ${registered.text}`);
  return { id: registered.body.id, token: await login(system, email, password), email };
}

/** Logs in and returns the access token. */
export async function login(system: SystemUnderTest, email: string, password: string): Promise<string> {
  const result = await http<{ accessToken: string }>('POST', `${system.api}/auth/login`, { body: { email, password } });
  if (result.status !== 200) throw new Error(`login ${email}: ${result.status} ${result.text}`);
  return result.body.accessToken;
}

/** A valid POST /orders body whose total is `totalCents` (one line, quantity 1). */
export function orderBody(totalCents = 1000, sku = 'SKU-1'): { currency: string; items: Record<string, unknown>[] } {
  return { currency: 'EUR', items: [{ sku, quantity: 1, unitPriceCents: totalCents }] };
}

export interface PlaceOrderOptions {
  /** A random one by default; null sends no Idempotency-Key header. */
  idempotencyKey?: string | null;
  /** The whole body (defaults to `orderBody(totalCents)`). */
  body?: unknown;
  totalCents?: number;
}

/** POST /api/v1/orders, with a random Idempotency-Key unless told otherwise. */
export function placeOrder(
  system: SystemUnderTest,
  token: string,
  options: PlaceOrderOptions = {},
): Promise<HttpResult<OrderResponse & Record<string, unknown>>> {
  const key = options.idempotencyKey === undefined ? randomUUID() : options.idempotencyKey;
  return http('POST', `${system.api}/orders`, {
    token,
    body: options.body ?? orderBody(options.totalCents),
    headers: key === null ? {} : { 'idempotency-key': key },
  });
}

/** Calls `probe` every `intervalMs` until `done` accepts its result; throws with the last one on timeout. */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await sleep(intervalMs);
  }
}

/** GET /orders/:id until its status is one of `statuses`. */
export function waitForOrderStatus(
  system: SystemUnderTest,
  token: string,
  orderId: string,
  statuses: string[],
  timeoutMs = 30_000,
  intervalMs = 50,
): Promise<HttpResult<OrderResponse & Record<string, unknown>>> {
  return pollUntil(
    () => http<OrderResponse & Record<string, unknown>>('GET', `${system.api}/orders/${orderId}`, { token }),
    (result) => result.status === 200 && statuses.includes(result.body.status),
    timeoutMs,
    intervalMs,
  );
}

/** Percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
