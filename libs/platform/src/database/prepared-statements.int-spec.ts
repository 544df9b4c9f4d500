import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { PG, dropDatabases, testDatabaseName } from '../../../../test/support/postgres-test-kit.js';
import { openDataSource } from './create-data-source.js';
import { TransactionRunner } from './transaction-runner.js';

const open = (database: string, preparedStatements: boolean) =>
  openDataSource({
    ...PG,
    database,
    poolSize: 1,
    migrationsRun: false,
    entities: [],
    migrations: [],
    preparedStatements,
  });

/** What the one pooled connection has prepared, seen from that same session. */
async function preparedOn(dataSource: DataSource): Promise<string[]> {
  const rows = (await dataSource.query('SELECT name, statement FROM pg_prepared_statements ORDER BY prepare_time')) as {
    name: string;
    statement: string;
  }[];
  return rows.map((row) => `${row.name}: ${row.statement}`);
}

describe('prepared statements against PostgreSQL', () => {
  const database = testDatabaseName('prepared');
  let prepared: DataSource;
  let plain: DataSource;

  beforeAll(async () => {
    prepared = await open(database, true);
    plain = await open(database, false);
    await prepared.query('CREATE TABLE widgets (id int PRIMARY KEY, name text NOT NULL)');
  }, 60_000);

  afterAll(async () => {
    await prepared?.destroy();
    await plain?.destroy();
    await dropDatabases([database]);
  }, 60_000);

  it('prepares each parameterised statement once per connection and answers as before', async () => {
    const insert = 'INSERT INTO widgets (id, name) VALUES ($1, $2) RETURNING name';
    for (let id = 1; id <= 3; id += 1) {
      expect(await prepared.query(insert, [id, `widget ${id}`])).toEqual([{ name: `widget ${id}` }]);
    }
    const transactions = new TransactionRunner(prepared);
    const names = await transactions.run((manager) =>
      manager.query('SELECT name FROM widgets WHERE id = ANY($1::int[]) ORDER BY id', [[1, 3]]),
    );
    expect(names).toEqual([{ name: 'widget 1' }, { name: 'widget 3' }]);
    expect(await preparedOn(prepared)).toEqual([
      `s0: ${insert}`,
      's1: SELECT name FROM widgets WHERE id = ANY($1::int[]) ORDER BY id',
    ]);
  });

  it('leaves statements without parameters, and every statement when turned off, unprepared', async () => {
    expect(await plain.query('SELECT name FROM widgets WHERE id = $1', [2])).toEqual([{ name: 'widget 2' }]);
    expect(await plain.query('SELECT count(*)::int AS n FROM widgets')).toEqual([{ n: 3 }]);
    expect(await preparedOn(plain)).toEqual([]);
  });

  it('reports a failing prepared statement and keeps the connection usable', async () => {
    await expect(prepared.query('INSERT INTO widgets (id, name) VALUES ($1, $2)', [1, 'again'])).rejects.toThrow(
      /duplicate key/,
    );
    expect(await prepared.query('SELECT name FROM widgets WHERE id = $1', [1])).toEqual([{ name: 'widget 1' }]);
  });
});
