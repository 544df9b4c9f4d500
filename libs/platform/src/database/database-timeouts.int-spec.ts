import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { TcpProxy } from '../../../../test/support/faults/tcp-proxy.js';
import { PG, dropDatabases, testDatabaseName } from '../../../../test/support/postgres-test-kit.js';
import { openDataSource } from './create-data-source.js';
import type { DatabaseTimeouts } from './database-options.js';
import { isTransientDatabaseError } from './postgres-errors.js';

const TIMEOUTS: DatabaseTimeouts = {
  connectMs: 500,
  queryMs: 800,
  statementMs: 300,
  idleInTransactionMs: 400,
  keepAliveInitialDelayMs: 1000,
};

async function failureOf(work: () => Promise<unknown>): Promise<{ error: unknown; elapsedMs: number }> {
  const startedAt = Date.now();
  try {
    await work();
  } catch (error) {
    return { error, elapsedMs: Date.now() - startedAt };
  }
  throw new Error('expected a failure');
}

/*
 * Every wait on the database is bounded (DB_*_TIMEOUT_MS): a server that stops answering (a
 * blackhole: the socket stays open, nothing moves) fails queries and connection attempts within
 * their bounds, as errors the transports report as "unavailable"; the server cancels long
 * statements and ends idle transactions; and once it answers again, the pool works at once.
 */
describe('database timeouts against PostgreSQL', () => {
  const database = testDatabaseName('timeouts');
  const proxy = new TcpProxy({ host: PG.host, port: PG.port });
  let dataSource: DataSource;

  beforeAll(async () => {
    await proxy.start();
    dataSource = await openDataSource({
      ...PG,
      host: '127.0.0.1',
      port: proxy.port,
      database,
      poolSize: 2,
      migrationsRun: false,
      entities: [],
      migrations: [],
      timeouts: TIMEOUTS,
    });
  }, 60_000);

  afterAll(async () => {
    proxy.pass();
    await dataSource?.destroy();
    await proxy.stop();
    await dropDatabases([database]);
  });

  it('has Postgres cancel a statement past DB_STATEMENT_TIMEOUT_MS', async () => {
    const { error } = await failureOf(() => dataSource.query('SELECT pg_sleep(2)'));
    expect(String(error)).toMatch(/statement timeout/);
    expect(isTransientDatabaseError(error)).toBe(true);
  });

  it('has Postgres end a session left idle in a transaction past DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', async () => {
    const { error } = await failureOf(() =>
      dataSource.transaction(async (manager) => {
        await manager.query('SELECT 1');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        await manager.query('SELECT 1');
      }),
    );
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]); // the pool dropped that connection
  });

  it('fails a query on a silent server within DB_QUERY_TIMEOUT_MS, and drops its connection', async () => {
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]); // a pooled connection, idle
    proxy.blackhole();
    const { error, elapsedMs } = await failureOf(() => dataSource.query('SELECT 1'));
    expect(isTransientDatabaseError(error)).toBe(true);
    expect(elapsedMs).toBeLessThan(TIMEOUTS.queryMs + 500);
    // New connections get no answer either: the pool gives up within DB_CONNECT_TIMEOUT_MS each.
    const waits = await Promise.all([1, 2, 3].map(() => failureOf(() => dataSource.query('SELECT 1'))));
    for (const wait of waits) {
      expect(isTransientDatabaseError(wait.error)).toBe(true);
      expect(wait.elapsedMs).toBeLessThan(TIMEOUTS.connectMs + TIMEOUTS.queryMs + 500);
    }
    proxy.pass();
    // No connection is left stuck behind the query that timed out: the next ones work at once.
    const answers = await Promise.all([1, 2, 3].map(() => dataSource.query('SELECT 1 AS one')));
    expect(answers).toEqual([[{ one: 1 }], [{ one: 1 }], [{ one: 1 }]]);
  }, 20_000);
});
