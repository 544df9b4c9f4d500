import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDataSource, quoteIdentifier, type DatabaseOptions } from '@app/platform';

export const PG = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USER ?? 'postgres',
  password: process.env.DB_PASSWORD ?? '',
};

/** A database name of its own for one test file. */
export function testDatabaseName(kind: string): string {
  return `${kind}_${randomBytes(4).toString('hex')}`;
}

async function onServer<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...PG, database: 'postgres' });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabases(names: string[]): Promise<void> {
  await onServer(async (client) => {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}

/** Runs one query on a test database and returns its rows. */
export async function queryDatabase<T = Record<string, unknown>>(
  database: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ ...PG, database });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A migrated database of one spec file's own, with a context's schema; `drop` closes and removes it. */
export async function openTestDatabase(
  kind: string,
  schema: Pick<DatabaseOptions, 'entities' | 'migrations'>,
  poolSize = 4,
): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  const database = testDatabaseName(kind);
  const dataSource = await openDataSource({ ...PG, database, poolSize, migrationsRun: true, ...schema });
  return {
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropDatabases([database]);
    },
  };
}
