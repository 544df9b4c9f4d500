import type { DataSource } from 'typeorm';
import { migrationsApplied } from '../database/create-data-source.js';
import type { ReadinessCheck } from './readiness-check.js';

/**
 * Readiness: the database answers and every migration the code knows is applied. One check at a
 * time: while one waits (a stalled server, a pool taken by stuck queries; bounded by
 * DB_CONNECT_TIMEOUT_MS and DB_QUERY_TIMEOUT_MS), the next probes share its outcome instead of
 * queueing more waiters for a pool connection.
 */
export function databaseReadiness(dataSource: DataSource): ReadinessCheck {
  let running: Promise<void> | null = null;
  const check = async (): Promise<void> => {
    if (!dataSource.isInitialized) throw new Error('not connected yet');
    if (!(await migrationsApplied(dataSource))) throw new Error('pending migrations');
  };
  return {
    name: 'database',
    check: () => (running ??= check().finally(() => (running = null))),
  };
}
