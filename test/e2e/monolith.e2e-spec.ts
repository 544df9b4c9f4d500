import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '../support/free-port.js';
import { http } from '../support/http-client.js';
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
import { SystemUnderTest } from '../support/system-under-test.js';

/*
 * What only the modular monolith has to prove (the shared behaviour is proved by the parity
 * suites, run in both shapes): the zero-infrastructure first run on an embedded PostgreSQL, and
 * that the outbox, as its only queue, loses and doubles nothing across a crash or a database
 * hiccup.
 */

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A placement that may meet a dead process: the network error is an answer too (status 0). */
async function tryPlace(system: SystemUnderTest, user: TestUser, key: string, totalCents: number): Promise<number> {
  try {
    return (await placeOrder(system, user.token, { idempotencyKey: key, totalCents })).status;
  } catch {
    return 0;
  }
}

async function ordersOf(system: SystemUnderTest, users: TestUser[]): Promise<{ id: string; status: string }[]> {
  return queryDatabase(system.databases.orders, 'SELECT id, status FROM orders WHERE user_id = ANY($1::uuid[])', [
    users.map((user) => user.id),
  ]);
}

describe('zero infrastructure: no DB_HOST, an embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'e2e-embedded-pg-'));
  let databasePort = 0;
  let system: SystemUnderTest;

  beforeAll(async () => {
    databasePort = await freePort();
    system = new SystemUnderTest(
      { DB_HOST: '', EMBEDDED_DB_DIR: dataDir, EMBEDDED_DB_PORT: String(databasePort) },
      'monolith',
    );
    await system.start();
  }, 120_000);

  afterAll(async () => {
    await system.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('serves the API and the order saga, keeps its data across a crash, and stops its database on SIGTERM', async () => {
    const monolith = system.app('monolith');
    const started = monolith.output.join('\n');
    expect(started).toContain(`embedded PostgreSQL on 127.0.0.1:${databasePort}`);
    expect(started).toMatch(/modular monolith .* on http:\/\/127\.0\.0\.1:\d+, data in .*e2e-embedded-pg-/);

    const user = await registerUser(system, 'embedded');
    const placed = await placeOrder(system, user.token, { totalCents: 2500 });
    expect(placed.status).toBe(201);
    await waitForOrderStatus(system, user.token, placed.body.id, ['CONFIRMED']);

    // A crash leaves the embedded server running without its owner: the next start copes.
    await monolith.stop('SIGKILL');
    await monolith.start(60_000);
    const token = await login(system, user.email, 'saga-password-1');
    const order = await http('GET', `${system.api}/orders/${placed.body.id}`, { token });
    expect({ status: order.status, order: order.body.status }).toEqual({ status: 200, order: 'CONFIRMED' });
    const me = await http('GET', `${system.api}/users/me`, { token });
    expect(me.body.creditReservedCents).toBe(2500);

    monolith.signal('SIGTERM');
    expect((await monolith.waitForExit(30_000)).code).toBe(0);
    expect(await listening(databasePort)).toBe(false);
  }, 120_000);
});

describe('the outbox as the only queue (PostgreSQL at DB_HOST)', () => {
  const system = new SystemUnderTest({ ORDER_SAGA_TIMEOUT_MS: '60000' }, 'monolith');

  beforeAll(() => system.start(), 90_000);
  afterAll(() => system.stop(), 90_000);

  /**
   * 40 placements by 5 users while `fault` strikes; then every client that got no 201 retries
   * with the same Idempotency-Key, as a client should. Whatever happened, that must make exactly
   * 40 orders, all CONFIRMED, with the saga's invariants holding. Returns the first answers.
   */
  async function placeThrough(label: string, fault: (users: TestUser[]) => Promise<void>): Promise<number[]> {
    const users = await Promise.all([1, 2, 3, 4, 5].map((i) => registerUser(system, `${label}-${i}`)));
    const placements = Array.from({ length: 40 }, (_, i) => ({
      user: users[i % 5]!,
      key: `${label}-${i}-${system.id}`,
      totalCents: 1000 + i,
    }));
    const place = (p: (typeof placements)[number]) => tryPlace(system, p.user, p.key, p.totalCents);
    const answers = placements.map(place);
    await fault(users);
    const first = await Promise.all(answers);
    const retried = await Promise.all(placements.map((p, i) => (first[i] === 201 ? 201 : place(p))));
    expect(retried).toEqual(Array(40).fill(201));
    await waitForIdle(system, 60_000);
    const rows = await ordersOf(system, users);
    console.log(
      `${label}: first answers ${JSON.stringify(tally(first))}; after retries ${rows.length} orders, ` +
        `${rows.filter((r) => r.status === 'CONFIRMED').length} CONFIRMED`,
    );
    expect(rows).toHaveLength(40);
    expect(rows.filter((row) => row.status !== 'CONFIRMED')).toEqual([]);
    await assertSagaInvariants(system);
    return first;
  }

  it('loses and doubles nothing when the process is SIGKILLed mid-saga and clients retry with their keys', async () => {
    await placeThrough('sigkill', async (users) => {
      await pollUntil(
        () => ordersOf(system, users),
        (rows) => rows.length >= 8,
        15_000,
        5,
      );
      await system.app('monolith').stop('SIGKILL');
      await system.app('monolith').start();
    });
  }, 180_000);

  it('drains on SIGTERM mid-saga: exit 0, nothing half-done, the rest settles after the restart', async () => {
    const monolith = system.app('monolith');
    let exit = { code: null as number | null, elapsedMs: 0 };
    await placeThrough('sigterm', async (users) => {
      await pollUntil(
        () => ordersOf(system, users),
        (rows) => rows.length >= 8,
        15_000,
        5,
      );
      monolith.signal('SIGTERM');
      exit = await monolith.waitForExit(30_000);
      await monolith.start();
    });
    console.log(`monolith SIGTERMed mid-saga: exit ${exit.code} after ${exit.elapsedMs} ms`);
    expect(exit.code).toBe(0);
  }, 180_000);

  it('rides out a database hiccup (every connection of both databases killed, twice, under load)', async () => {
    const first = await placeThrough('hiccup', async () => {
      for (const pause of [30, 200]) {
        await sleep(pause);
        await queryDatabase(
          'postgres',
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ANY($1::text[]) AND pid <> pg_backend_pid()',
          [Object.values(system.databases)],
        );
      }
    });
    // What the clients saw meanwhile: retryable answers, never a 500.
    expect(first.filter((status) => ![201, 503].includes(status))).toEqual([]);
    expect((await http('GET', system.app('monolith').healthUrl)).status).toBe(200);
  }, 180_000);
});

function tally(statuses: number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
