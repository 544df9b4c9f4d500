import { openTestDatabase } from '../../../../../test/support/postgres-test-kit.js';
import { paymentsEntities, paymentsMigrations } from '../payments.schema.js';

/** A migrated payments database of one spec file's own; `drop` closes and removes it. */
export const openPaymentsTestDatabase = (kind: string, poolSize = 8) =>
  openTestDatabase(kind, { entities: paymentsEntities, migrations: paymentsMigrations }, poolSize);
