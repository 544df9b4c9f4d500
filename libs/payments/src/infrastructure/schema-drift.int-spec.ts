import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openPaymentsTestDatabase } from './testing/payments-test-database.js';

describe('payments schema', () => {
  let dataSource: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ dataSource, drop } = await openPaymentsTestDatabase('payments_drift'));
  }, 60_000);

  afterAll(() => drop(), 60_000);

  it('is exactly what the ORM entities describe once migrations ran (no drift to generate)', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });
});
