import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDataSource } from '@app/platform';
import { PG, dropDatabases, testDatabaseName } from '../../../../test/support/postgres-test-kit.js';
import { usersEntities, usersMigrations } from './users.schema.js';

describe('users schema', () => {
  const database = testDatabaseName('users_drift');
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = await openDataSource({
      ...PG,
      database,
      poolSize: 2,
      migrationsRun: true,
      entities: usersEntities,
      migrations: usersMigrations,
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabases([database]);
  });

  it('is exactly what the ORM entities describe once migrations ran (no drift to generate)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
