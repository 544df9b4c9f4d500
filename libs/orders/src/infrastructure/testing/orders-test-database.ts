import type { DataSource } from 'typeorm';
import { openDataSource } from '@app/platform';
import { PG, dropDatabases, testDatabaseName } from '../../../../../test/support/postgres-test-kit.js';
import { ordersEntities, ordersMigrations } from '../orders.schema.js';

/** A migrated orders database of one spec file's own; `drop` closes and removes it. */
export async function openOrdersTestDatabase(
  kind: string,
): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  const database = testDatabaseName(kind);
  const dataSource = await openDataSource({
    ...PG,
    database,
    poolSize: 4,
    migrationsRun: true,
    entities: ordersEntities,
    migrations: ordersMigrations,
  });
  return {
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await dropDatabases([database]);
    },
  };
}
