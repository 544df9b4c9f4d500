import { openTestDatabase } from '../../../../../test/support/postgres-test-kit.js';
import { ordersEntities, ordersMigrations } from '../orders.schema.js';

/** A migrated orders database of one spec file's own; `drop` closes and removes it. */
export const openOrdersTestDatabase = (kind: string) =>
  openTestDatabase(kind, { entities: ordersEntities, migrations: ordersMigrations });
