import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AMQP_URL } from '../support/amqp-test-kit.js';
import type { AppProcess, ServiceName } from '../support/app-process.js';
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
 * Every app starts while a dependency is down, instead of exiting (Postgres) or never opening
 * its port (RabbitMQ): orders with its Postgres refused, users and the gateway with their
 * broker refused, each through a fault proxy of its own. Each serves /health/live at once,
 * answers /health/ready 503 naming what it waits for, and keeps retrying; the gateway answers
 * calls that need a service with a quick 503 problem. The dependencies then come back one at a
 * time, each app turns ready, and an order goes through the whole saga. A SIGTERM while an app
 * still waits ends it at once, cleanly. The monolith, given a DB_HOST that is down, does the same.
 */

/** How long an app may take to turn ready after its dependency appears (backoff is at most 5 s). */
const RECOVERY_MS = 15_000;
/** How fast a call must be answered when a service cannot be reached (no waiting for a timeout). */
const QUICK_MS = 2000;

const amqp = new URL(AMQP_URL);

/** AMQP_URL through a proxy: same credentials and vhost, the proxy's port. */
function brokerVia(proxy: TcpProxy): string {
  const url = new URL(AMQP_URL);
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  return url.toString();
}

async function get(url: string): Promise<HttpResult> {
  return http('GET', url);
}

/** What `/health/ready` says the app waits for (the start-up gate's detail), or null when ready. */
async function waitingFor(app: AppProcess): Promise<{ status: number; waitingFor: string[] }> {
  const ready = await get(app.healthUrl);
  const error = (ready.body as { error?: { startup?: { waitingFor?: Record<string, string> } } }).error;
  return { status: ready.status, waitingFor: Object.keys(error?.startup?.waitingFor ?? {}).sort() };
}

async function untilReady(app: AppProcess): Promise<number> {
  const startedAt = Date.now();
  await pollUntil(
    () => get(app.healthUrl).then((answer) => answer.status),
    (status) => status === 200,
    RECOVERY_MS,
    200,
  );
  return Date.now() - startedAt;
}

/** Times one call; the answer must be a 503 problem+json with the gateway's code. */
async function expectQuick503(call: () => Promise<HttpResult>): Promise<void> {
  const startedAt = Date.now();
  const answer = await call();
  const elapsedMs = Date.now() - startedAt;
  expect({ status: answer.status, code: answer.body.code, type: answer.headers.get('content-type') }).toEqual({
    status: 503,
    code: 'SERVICE_UNAVAILABLE',
    type: expect.stringContaining('application/problem+json'),
  });
  expect(answer.headers.get('retry-after')).toBeTruthy();
  expect(elapsedMs).toBeLessThan(QUICK_MS);
}

describe('starting with a dependency down', () => {
  const system = new SystemUnderTest();
  const ordersDatabase = new TcpProxy({ host: PG.host, port: PG.port });
  const usersBroker = new TcpProxy({ host: amqp.hostname, port: Number(amqp.port || 5672) });
  const gatewayBroker = new TcpProxy({ host: amqp.hostname, port: Number(amqp.port || 5672) });
  let user: TestUser;

  beforeAll(async () => {
    for (const proxy of [ordersDatabase, usersBroker, gatewayBroker]) {
      await proxy.start();
      proxy.refuse();
    }
    await system.start([]);
    // payments with its dependencies up: the order placed at the end needs its capture.
    await system.startApp('payments');
    // Each must open its port although its dependency refuses every connection.
    await Promise.all([
      system.startApp('orders', { DB_HOST: '127.0.0.1', DB_PORT: String(ordersDatabase.port) }, 'live'),
      system.startApp('users', { AMQP_URL: brokerVia(usersBroker) }, 'live'),
      system.startApp('gateway', { AMQP_URL: brokerVia(gatewayBroker) }, 'live'),
    ]);
  }, 60_000);

  afterAll(async () => {
    await system.stop();
    for (const proxy of [ordersDatabase, usersBroker, gatewayBroker]) await proxy.stop();
  }, 60_000);

  it('opens every port: live 200, ready 503 naming the dependency waited for, and keeps retrying', async () => {
    // A few retries later, still up and still saying the same.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const expected: Record<Exclude<ServiceName, 'payments'>, string[]> = {
      orders: ['database'],
      users: ['broker'],
      gateway: ['broker'],
    };
    for (const name of ['orders', 'users', 'gateway'] as const) {
      const app = system.app(name);
      expect({ name, running: app.running }).toEqual({ name, running: true });
      expect({ name, live: (await get(app.liveUrl)).status }).toEqual({ name, live: 200 });
      expect({ name, ...(await waitingFor(app)) }).toEqual({ name, status: 503, waitingFor: expected[name] });
    }
    expect(ordersDatabase.accepted).toBeGreaterThan(1); // retried, not given up
    expect(usersBroker.accepted).toBeGreaterThan(1);
  }, 30_000);

  it('answers a call that needs a service with a quick 503 problem while the gateway has no broker', async () => {
    await expectQuick503(() =>
      http('POST', `${system.api}/auth/login`, { body: { email: 'nobody@saga.test', password: 'whatever-1' } }),
    );
  }, 30_000);

  it('ends at once and cleanly on SIGTERM while still waiting for its database', async () => {
    const replica = await system.addReplica(
      'orders',
      { DB_HOST: '127.0.0.1', DB_PORT: String(ordersDatabase.port) },
      'live',
    );
    replica.signal('SIGTERM');
    const exit = await replica.waitForExit(10_000);
    expect({ code: exit.code, fast: exit.elapsedMs < 2000 }).toEqual({ code: 0, fast: true });
  }, 30_000);

  it('turns the gateway ready when its broker appears; a service still away is a quick 503', async () => {
    gatewayBroker.pass();
    await untilReady(system.app('gateway'));
    // users has never reached the broker, so nothing serves its RPC queue yet.
    await expectQuick503(() =>
      http('POST', `${system.api}/auth/login`, { body: { email: 'nobody@saga.test', password: 'whatever-1' } }),
    );
  }, 30_000);

  it('turns users ready when its broker appears', async () => {
    usersBroker.pass();
    await untilReady(system.app('users'));
    user = await registerUser(system, 'late-start');
  }, 30_000);

  it('turns orders ready when its database appears, and an order is placed and confirmed', async () => {
    await expectQuick503(() => placeOrder(system, user.token));
    ordersDatabase.pass();
    await untilReady(system.app('orders'));
    const placed = await placeOrder(system, user.token, { totalCents: 1500 });
    expect(placed.status).toBe(201);
    const confirmed = await waitForOrderStatus(system, user.token, placed.body.id, ['CONFIRMED', 'REJECTED']);
    expect(confirmed.body.status).toBe('CONFIRMED');
    await waitForIdle(system);
    await assertSagaInvariants(system);
  }, 60_000);
});

describe('the monolith, its PostgreSQL (DB_HOST) down at start', () => {
  const system = new SystemUnderTest({}, 'monolith');
  const database = new TcpProxy({ host: PG.host, port: PG.port });

  beforeAll(async () => {
    await database.start();
    database.refuse();
    await system.start([]);
    await system.startApp('monolith', { DB_HOST: '127.0.0.1', DB_PORT: String(database.port) }, 'live');
  }, 60_000);

  afterAll(async () => {
    await system.stop();
    await database.stop();
  }, 60_000);

  it('serves live 200 and ready 503 naming each waiting context but not the error, and a quick 503 problem to calls', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const monolith = system.app('monolith');
    expect((await get(monolith.liveUrl)).status).toBe(200);
    const ready = await get(monolith.healthUrl);
    const error = (ready.body as { error?: Record<string, unknown> }).error ?? {};
    expect({ status: ready.status, users: error['users.startup'], orders: error['orders.startup'] }).toEqual({
      status: 503,
      users: { status: 'down' },
      orders: { status: 'down' },
    });
    // The public port says what is down, not the driver's error (hosts, ports): that is logged,
    // and shown on the management port, which only the cluster reaches.
    expect(JSON.stringify(ready.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|attempt/);
    const detailed = await get(`${monolith.managementUrl}/health/ready`);
    const reasons = (detailed.body as { error?: Record<string, { message?: string }> }).error ?? {};
    expect({
      status: detailed.status,
      users: reasons['users.startup']?.message,
      orders: reasons['orders.startup']?.message,
    }).toEqual({ status: 503, users: expect.stringMatching(/database/), orders: expect.stringMatching(/database/) });
    const logged = () => monolith.output.some((line) => line.includes('not ready') && line.includes('database'));
    for (let i = 0; i < 20 && !logged(); i += 1) await new Promise((resolve) => setTimeout(resolve, 100)); // logs go out every 100 ms
    expect(logged()).toBe(true);
    await expectQuick503(() =>
      http('POST', `${system.api}/auth/login`, { body: { email: 'nobody@saga.test', password: 'whatever-1' } }),
    );
  }, 30_000);

  it('turns ready when the database appears, and an order is placed and confirmed', async () => {
    database.pass();
    await untilReady(system.app('monolith'));
    const user = await registerUser(system, 'late-monolith');
    const placed = await placeOrder(system, user.token, { totalCents: 1200 });
    expect(placed.status).toBe(201);
    const confirmed = await waitForOrderStatus(system, user.token, placed.body.id, ['CONFIRMED', 'REJECTED']);
    expect(confirmed.body.status).toBe('CONFIRMED');
    await waitForIdle(system);
    await assertSagaInvariants(system);
  }, 60_000);
});
