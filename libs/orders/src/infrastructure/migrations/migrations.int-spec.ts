import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { migrationsApplied, openDataSource, runMigrationsLocked } from '@app/platform';
import { PG, dropDatabases, testDatabaseName } from '../../../../../test/support/postgres-test-kit.js';
import { ordersEntities, ordersMigrations } from '../orders.schema.js';

const created: string[] = [];
const opened: DataSource[] = [];

/** A database name no other run uses; remembered so afterAll drops it. */
function newDatabaseName(kind: string): string {
  const name = testDatabaseName(kind);
  created.push(name);
  return name;
}

/** Creates the database if absent and connects; remembered so afterAll closes it. */
async function open(database: string, migrationsRun: boolean): Promise<DataSource> {
  const dataSource = await openDataSource({
    ...PG,
    database,
    poolSize: 4,
    migrationsRun,
    entities: ordersEntities,
    migrations: ordersMigrations,
  });
  opened.push(dataSource);
  return dataSource;
}

afterAll(async () => {
  for (const dataSource of opened) if (dataSource.isInitialized) await dataSource.destroy();
  await dropDatabases(created);
}, 60_000);

async function relations(dataSource: DataSource): Promise<{ tables: string[]; views: string[] }> {
  const rows = (await dataSource.query(
    `SELECT table_name, table_type FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY table_name`,
  )) as { table_name: string; table_type: string }[];
  return {
    tables: rows.filter((row) => row.table_type === 'BASE TABLE').map((row) => row.table_name),
    views: rows.filter((row) => row.table_type === 'VIEW').map((row) => row.table_name),
  };
}

async function appliedMigrations(dataSource: DataSource): Promise<{ name: string; times: number }[]> {
  return (await dataSource.query(
    'SELECT name, count(*)::int AS times FROM migrations GROUP BY name ORDER BY name',
  )) as { name: string; times: number }[];
}

async function paymentStatusColumns(dataSource: DataSource): Promise<string[]> {
  const rows = (await dataSource.query(
    `SELECT table_name FROM information_schema.columns WHERE column_name = 'payment_status' ORDER BY table_name`,
  )) as { table_name: string }[];
  return rows.map((row) => row.table_name);
}

const migrationNames = ordersMigrations.map((migration) => migration.name).sort();
const everyMigrationOnce = migrationNames.map((name) => ({ name, times: 1 }));

/** What the orders database holds once every migration ran. */
const ALL = {
  tables: ['dead_letters', 'idempotency_keys', 'inbox', 'order_lines', 'order_views', 'orders', 'outbox'],
  views: ['user_order_stats'],
};

async function aView(dataSource: DataSource, userId: string, status: string, totalCents: number): Promise<void> {
  await dataSource.query(
    `INSERT INTO order_views (id, user_id, status, items, total_cents, currency, created_at, updated_at)
     VALUES ($1, $2, $3, '[]', $4, 'EUR', now(), now())`,
    [randomUUID(), userId, status, totalCents],
  );
}

describe('orders migrations', () => {
  it('migrate up on an empty database, down one by one, and up again', async () => {
    const dataSource = await open(newDatabaseName('orders_mig'), true);

    // up
    expect(await relations(dataSource)).toEqual(ALL);
    expect(await appliedMigrations(dataSource)).toEqual(everyMigrationOnce);
    expect(await migrationsApplied(dataSource)).toBe(true);

    // the last one, down and up again: orders placed before payments existed, CONFIRMED ones
    // included, had no payment asked for, and say so
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await paymentStatusColumns(dataSource)).toEqual([]);
    const confirmedBefore = randomUUID();
    await dataSource.query(
      `INSERT INTO orders (id, user_id, status, currency, total_cents, version, created_at, updated_at)
       VALUES ($1, $2, 'CONFIRMED', 'EUR', 700, 2, now(), now())`,
      [confirmedBefore, randomUUID()],
    );
    await aView(dataSource, randomUUID(), 'CONFIRMED', 700);
    await runMigrationsLocked(dataSource);
    expect(await paymentStatusColumns(dataSource)).toEqual(['order_views', 'orders']);
    expect(await dataSource.query('SELECT DISTINCT payment_status FROM orders')).toEqual([
      { payment_status: 'NOT_REQUESTED' },
    ]);
    expect(await dataSource.query('SELECT DISTINCT payment_status FROM order_views')).toEqual([
      { payment_status: 'NOT_REQUESTED' },
    ]);
    await expect(
      dataSource.query(`UPDATE orders SET payment_status = 'SHIPPED' WHERE id = $1`, [confirmedBefore]),
    ).rejects.toThrow(/orders_payment_status_ck/);
    await dataSource.query('DELETE FROM orders');
    await dataSource.query('DELETE FROM order_views');
    await dataSource.undoLastMigration({ transaction: 'each' });

    // the one before, down: outbox rows are no longer parked, the inbox has no age index
    await dataSource.undoLastMigration({ transaction: 'each' });
    const parkedColumn = (await dataSource.query(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'outbox' AND column_name = 'parked_at'`,
    )) as unknown[];
    expect(parkedColumn).toHaveLength(0);

    // the one before that, down: user_order_stats is a table again, holding what the view showed
    const userId = randomUUID();
    await aView(dataSource, userId, 'CONFIRMED', 700);
    await aView(dataSource, userId, 'CONFIRMED', 300);
    await aView(dataSource, userId, 'CANCELLED', 50);
    await aView(dataSource, userId, 'PENDING', 5);
    const derived = await dataSource.query('SELECT * FROM user_order_stats');
    expect(derived).toEqual([
      { user_id: userId, placed: 4, confirmed: 2, rejected: 0, cancelled: 1, confirmed_total_cents: '1000' },
    ]);
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await relations(dataSource)).toEqual({ tables: [...ALL.tables, 'user_order_stats'].sort(), views: [] });
    expect(await dataSource.query('SELECT * FROM user_order_stats')).toEqual(derived);

    // the rest, down: nothing left
    for (let i = 3; i < ordersMigrations.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await relations(dataSource)).toEqual({ tables: [], views: [] });
    expect(await appliedMigrations(dataSource)).toEqual([]);
    expect(await migrationsApplied(dataSource)).toBe(false);

    // up again after down, and once more: nothing pending, nothing applied twice
    await runMigrationsLocked(dataSource);
    expect(await relations(dataSource)).toEqual(ALL);
    await runMigrationsLocked(dataSource);
    expect(await appliedMigrations(dataSource)).toEqual(everyMigrationOnce);
  }, 60_000);

  it('applies each migration exactly once when two replicas migrate the same new database at once', async () => {
    const database = newDatabaseName('orders_mig_lock');
    const [first, second] = await Promise.all([open(database, false), open(database, false)]);

    const results = await Promise.allSettled([runMigrationsLocked(first), runMigrationsLocked(second)]);

    expect(results.map((result) => (result.status === 'fulfilled' ? 'ok' : String(result.reason)))).toEqual([
      'ok',
      'ok',
    ]);
    expect(await appliedMigrations(first)).toEqual(everyMigrationOnce);
    expect(await relations(second)).toEqual(ALL);
  }, 60_000);
});
