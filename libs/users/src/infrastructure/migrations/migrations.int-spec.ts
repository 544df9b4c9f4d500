import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { migrationsApplied, openDataSource, runMigrationsLocked, type DatabaseOptions } from '@app/platform';
import { usersEntities, usersMigrations } from '../users.schema.js';

const connection = {
  host: process.env.DB_HOST || '127.0.0.1',
  port: Number(process.env.DB_PORT || 5432),
  user: process.env.DB_USER || 'postgres',
  password: process.env.DB_PASSWORD || '',
};

const created: string[] = [];
const opened: DataSource[] = [];

/** A database name no other run uses; remembered so afterAll drops it. */
function newDatabaseName(prefix: string): string {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  created.push(name);
  return name;
}

function optionsFor(database: string, migrationsRun: boolean): DatabaseOptions {
  return { ...connection, database, poolSize: 4, migrationsRun, entities: usersEntities, migrations: usersMigrations };
}

/** Creates the database if absent and connects; remembered so afterAll closes it. */
async function open(database: string, migrationsRun: boolean): Promise<DataSource> {
  const dataSource = await openDataSource(optionsFor(database, migrationsRun));
  opened.push(dataSource);
  return dataSource;
}

async function publicTables(dataSource: DataSource): Promise<string[]> {
  const rows = (await dataSource.query(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY table_name`,
  )) as { table_name: string }[];
  return rows.map((row) => row.table_name);
}

async function appliedMigrations(dataSource: DataSource): Promise<{ name: string; times: number }[]> {
  const rows = (await dataSource.query(
    'SELECT name, count(*)::int AS times FROM migrations GROUP BY name ORDER BY name',
  )) as { name: string; times: number }[];
  return rows;
}

const migrationNames = usersMigrations.map((migration) => migration.name).sort();

afterAll(async () => {
  for (const dataSource of opened) if (dataSource.isInitialized) await dataSource.destroy();
  const client = new pg.Client({ ...connection, database: 'postgres' });
  await client.connect();
  try {
    for (const name of created) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}, 60_000);

/** What the users database holds once every migration ran (sorted). */
const ALL_TABLES = ['credit_reservations', 'dead_letters', 'inbox', 'outbox', 'refresh_tokens', 'users'];

describe('users migrations', () => {
  it('migrate up on an empty database, down one by one, and up again', async () => {
    const dataSource = await open(newDatabaseName('users_mig'), true);

    // up
    expect(await publicTables(dataSource)).toEqual(ALL_TABLES);
    expect(await appliedMigrations(dataSource)).toEqual(migrationNames.map((name) => ({ name, times: 1 })));
    expect(await migrationsApplied(dataSource)).toBe(true);

    const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA';
    // the unique index on lower(email) refuses an address that differs only in case
    const insert = `INSERT INTO users (id, email, name, password_hash, role, credit_limit_cents, version, created_at, updated_at)
      VALUES (gen_random_uuid(), $1, 'A', $2, 'user', 0, 1, now(), now())`;
    await dataSource.query(insert, ['ada@example.com', hash]);
    const duplicate = await dataSource.query(insert, ['ADA@Example.COM', hash]).then(
      () => null,
      (error: unknown) => error,
    );
    expect(duplicate).toMatchObject({ driverError: { code: '23505', constraint: 'users_email_lower_uq' } });
    await dataSource.query(insert, ['grace@example.com', hash]);

    // down, one migration at a time: the parking column and the inbox's age index go first
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await columnsOf(dataSource, 'outbox')).not.toContain('parked_at');
    expect(await indexesOf(dataSource, 'inbox')).not.toContain('inbox_processed_at_idx');
    expect(await publicTables(dataSource)).toEqual(ALL_TABLES);
    // then the newest table
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await publicTables(dataSource)).toEqual(ALL_TABLES.filter((table) => table !== 'dead_letters'));
    for (let i = 2; i < usersMigrations.length; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await publicTables(dataSource)).toEqual([]);
    expect(await appliedMigrations(dataSource)).toEqual([]);
    expect(await migrationsApplied(dataSource)).toBe(false);

    // up again after down
    await runMigrationsLocked(dataSource);
    expect(await publicTables(dataSource)).toEqual(ALL_TABLES);
    expect(await appliedMigrations(dataSource)).toEqual(migrationNames.map((name) => ({ name, times: 1 })));
    const [{ n }] = (await dataSource.query('SELECT count(*)::int AS n FROM users')) as { n: number }[];
    expect(n).toBe(0);

    // and once more: nothing pending, nothing applied twice
    await runMigrationsLocked(dataSource);
    expect(await appliedMigrations(dataSource)).toEqual(migrationNames.map((name) => ({ name, times: 1 })));
  }, 60_000);

  it('applies each migration exactly once when two replicas migrate the same new database at once', async () => {
    const database = newDatabaseName('users_mig_lock');
    const [first, second] = await Promise.all([open(database, false), open(database, false)]);
    expect(await publicTables(first)).toEqual([]);

    const results = await Promise.allSettled([runMigrationsLocked(first), runMigrationsLocked(second)]);

    expect(results.map((result) => (result.status === 'fulfilled' ? 'ok' : String(result.reason)))).toEqual([
      'ok',
      'ok',
    ]);
    expect(await appliedMigrations(first)).toEqual(migrationNames.map((name) => ({ name, times: 1 })));
    expect(await publicTables(second)).toEqual(ALL_TABLES);
    expect(await migrationsApplied(first)).toBe(true);
    expect(await migrationsApplied(second)).toBe(true);
  }, 60_000);
});

async function columnsOf(dataSource: DataSource, table: string): Promise<string[]> {
  const rows = (await dataSource.query(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  )) as { column_name: string }[];
  return rows.map((row) => row.column_name);
}

async function indexesOf(dataSource: DataSource, table: string): Promise<string[]> {
  const rows = (await dataSource.query(`SELECT indexname FROM pg_indexes WHERE tablename = $1`, [table])) as {
    indexname: string;
  }[];
  return rows.map((row) => row.indexname);
}
