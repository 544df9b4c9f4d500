import type { DataSource } from 'typeorm';
import { migrationsApplied } from '../database/create-data-source.js';
import type { ReadinessCheck } from './readiness-check.js';

/** Readiness: the database answers and every migration the code knows is applied. */
export function databaseReadiness(dataSource: DataSource): ReadinessCheck {
  return {
    name: 'database',
    check: async () => {
      if (!(await migrationsApplied(dataSource))) throw new Error('pending migrations');
    },
  };
}
