import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TcpProxy } from '../../../../test/support/faults/tcp-proxy.js';
import { PG, dropDatabases, queryDatabase, testDatabaseName } from '../../../../test/support/postgres-test-kit.js';
import { openDataSource } from './create-data-source.js';

class CreateProbe1764000000000 implements MigrationInterface {
  name = 'CreateProbe1764000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE TABLE probe (id int PRIMARY KEY)');
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE probe');
  }
}

/*
 * Behind a pooler in transaction mode (PgBouncer), the app's queries go to the pooler and its
 * migrations to Postgres itself (DB_MIGRATIONS_HOST/PORT): the migrations' advisory lock belongs
 * to a session, which such a pooler hands to the next client. Two proxies to the same server
 * stand for the two routes and count the connections each gets.
 */
describe('migrations on their own address (DB_MIGRATIONS_HOST)', () => {
  const pooled = new TcpProxy({ host: PG.host, port: PG.port });
  const direct = new TcpProxy({ host: PG.host, port: PG.port });
  const databases: string[] = [];

  beforeAll(async () => {
    await Promise.all([pooled.start(), direct.start()]);
  });

  afterAll(async () => {
    await Promise.all([pooled.stop(), direct.stop()]);
    await dropDatabases(databases);
  });

  const open = (database: string) =>
    openDataSource({
      ...PG,
      ...pooled.url,
      migrationsHost: direct.url.host,
      migrationsPort: direct.url.port,
      database,
      poolSize: 2,
      migrationsRun: true,
      entities: [],
      migrations: [CreateProbe1764000000000],
    });

  it('creates the database and migrates on the migrations address, and queries on the pooled one', async () => {
    const database = testDatabaseName('migrations_host');
    databases.push(database);

    const dataSource = await open(database);
    try {
      // CREATE DATABASE, the lock's session and the migrator's one connection.
      expect(direct.accepted).toBe(3);
      const pooledBefore = pooled.accepted;
      expect(await dataSource.query('SELECT count(*)::int AS n FROM probe')).toEqual([{ n: 0 }]);
      expect(pooled.accepted).toBeGreaterThanOrEqual(Math.max(pooledBefore, 1));
      expect(direct.accepted).toBe(3);
    } finally {
      await dataSource.destroy();
    }
  });

  it('fails the start when the migrations address is down, though the pooled one answers', async () => {
    const database = testDatabaseName('migrations_host');
    databases.push(database);
    direct.refuse();

    await expect(open(database)).rejects.toThrow();
    direct.pass();
    // Not created through the pooled address either.
    expect(await queryDatabase('postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [database])).toEqual([]);
  });
});
