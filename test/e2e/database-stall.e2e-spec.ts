import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TcpProxy } from '../support/faults/tcp-proxy.js';
import { http, type HttpResult } from '../support/http-client.js';
import { PG } from '../support/postgres-test-kit.js';
import {
  assertSagaInvariants,
  placeOrder,
  pollUntil,
  registerUser,
  waitForIdle,
  waitForOrderStatus,
  type TestUser,
} from '../support/saga-invariants.js';
import { SystemUnderTest } from '../support/system-under-test.js';

/*
 * The orders service's Postgres goes silent under it (a blackhole: sockets stay open, no byte
 * moves; a half-open server, a dead switch). Every wait on the database is bounded, so within
 * two readiness probe periods /health/ready answers 503 while /health/live stays 200, and
 * requests come back as a clean 503 problem within the database timeouts, long before the
 * gateway's own RPC deadline (set high here, so that only the service's bounds can answer in
 * time). When the server answers again, the service is ready within seconds, and no order is
 * lost or doubled.
 */

/** Kubernetes: readinessProbe periodSeconds 5 (deploy/k8s/*.yaml). */
const PROBE_PERIOD_MS = 5000;
const DB_CONNECT_TIMEOUT_MS = 2000;
const DB_QUERY_TIMEOUT_MS = 3000;
/** Longer than any database bound: a request answered in time was answered by them, not by it. */
const RPC_TIMEOUT_MS = 30_000;
/** A request may meet the query timeout, then the connect timeout of a fresh connection. */
const BOUNDED_MS = DB_QUERY_TIMEOUT_MS + DB_CONNECT_TIMEOUT_MS + 2000;

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; elapsedMs: number }> {
  const startedAt = Date.now();
  const value = await call();
  return { value, elapsedMs: Date.now() - startedAt };
}

function problemOf(answer: HttpResult): { status: number; code: unknown; type: string | null } {
  return { status: answer.status, code: answer.body.code, type: answer.headers.get('content-type') };
}

describe('Postgres stalls under a running service', () => {
  const database = new TcpProxy({ host: PG.host, port: PG.port });
  const system = new SystemUnderTest({
    DB_CONNECT_TIMEOUT_MS: String(DB_CONNECT_TIMEOUT_MS),
    DB_QUERY_TIMEOUT_MS: String(DB_QUERY_TIMEOUT_MS),
    DB_STATEMENT_TIMEOUT_MS: '2500',
    RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS),
    // The calls that fail on purpose here must not open the gateway's circuit.
    CIRCUIT_FAILURE_THRESHOLD: '1000',
  });
  let user: TestUser;
  let confirmedBefore: string;

  beforeAll(async () => {
    await database.start();
    await system.start(['users', 'payments', 'gateway']);
    await system.startApp('orders', { DB_HOST: '127.0.0.1', DB_PORT: String(database.port) });
    user = await registerUser(system, 'stall');
    const placed = await placeOrder(system, user.token, { totalCents: 700 });
    expect(placed.status).toBe(201);
    confirmedBefore = placed.body.id;
    await waitForOrderStatus(system, user.token, confirmedBefore, ['CONFIRMED']);
  }, 60_000);

  afterAll(async () => {
    await system.stop();
    await database.stop();
  }, 60_000);

  it('turns readiness 503 within two probe periods, liveness staying 200 and quick', async () => {
    const orders = system.app('orders');
    database.blackhole();
    const { elapsedMs } = await timed(() =>
      pollUntil(
        () => http('GET', orders.healthUrl).then((answer) => answer.status),
        (status) => status === 503,
        2 * PROBE_PERIOD_MS,
        250,
      ),
    );
    expect(elapsedMs).toBeLessThan(2 * PROBE_PERIOD_MS);
    const live = await timed(() => http('GET', orders.liveUrl));
    expect({ status: live.value.status, quick: live.elapsedMs < 500 }).toEqual({ status: 200, quick: true });
  }, 30_000);

  it('answers requests with a clean 503 problem within the database timeouts, not hanging', async () => {
    const [read, write] = await Promise.all([
      timed(() => http('GET', `${system.api}/orders/${confirmedBefore}`, { token: user.token })),
      timed(() => placeOrder(system, user.token, { totalCents: 900 })),
    ]);
    for (const answer of [read, write]) {
      expect(problemOf(answer.value)).toEqual({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        type: expect.stringContaining('application/problem+json'),
      });
      expect(answer.elapsedMs).toBeLessThan(BOUNDED_MS);
    }
    // Still stalled a while later: fresh requests are bounded the same way.
    const again = await timed(() => http('GET', `${system.api}/orders/${confirmedBefore}`, { token: user.token }));
    expect({ status: again.value.status, bounded: again.elapsedMs < BOUNDED_MS }).toEqual({
      status: 503,
      bounded: true,
    });
    expect((await http('GET', system.app('orders').liveUrl)).status).toBe(200);
  }, 60_000);

  it('is ready again soon after the database answers, and no order is lost or doubled', async () => {
    const orders = system.app('orders');
    database.pass();
    const { elapsedMs } = await timed(() =>
      pollUntil(
        () => http('GET', orders.healthUrl).then((answer) => answer.status),
        (status) => status === 200,
        15_000,
        250,
      ),
    );
    expect(elapsedMs).toBeLessThan(15_000);
    const placed = await placeOrder(system, user.token, { totalCents: 1100 });
    expect(placed.status).toBe(201);
    const settled = await waitForOrderStatus(system, user.token, placed.body.id, ['CONFIRMED', 'REJECTED']);
    expect(settled.body.status).toBe('CONFIRMED');
    await waitForIdle(system);
    await assertSagaInvariants(system);
  }, 60_000);
});
