import { Logger } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { DatabaseOptions } from './database-options.js';
import { ensureDatabase } from './ensure-database.js';

const logger = new Logger('Database');
const MAX_PREPARED = 500;
const superQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;

/**
 * A pool connection that always has an 'error' listener. TypeORM listens only while a query
 * runner holds the connection and drops its listener at the first error; a connection the
 * server kills (restart, failover, pg_terminate_backend) can emit a second one, and an
 * 'error' event nobody listens to ends the process. The failing query still rejects, and the
 * pool discards the broken connection; this only keeps the process alive.
 */
class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', (error: Error) => logger.warn(`database connection lost: ${error.message}`));
  }
}

/**
 * Sends each parameterised statement as a named prepared statement: Postgres parses and plans it
 * once per connection instead of on every call (a third of its CPU per order under load). Our
 * SQL is fixed text with parameters, so a connection prepares a few dozen; past MAX_PREPARED
 * distinct texts, statements go unnamed. Off with DB_PREPARED_STATEMENTS=false (a pooler in
 * transaction mode that does not track prepared statements, e.g. PgBouncer before 1.21).
 */
class PreparingClient extends GuardedClient {
  /** The name each statement text was prepared under on this connection. */
  private readonly prepared = new Map<string, string>();

  override query(...args: unknown[]): never {
    const [text, values, callback] = args;
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
      let name = this.prepared.get(text);
      if (name === undefined && this.prepared.size < MAX_PREPARED) {
        name = `s${this.prepared.size}`;
        this.prepared.set(text, name);
      }
      if (name !== undefined) return superQuery.call(this, { name, text, values }, callback) as never;
    }
    return superQuery.apply(this, args) as never;
  }
}

/** Builds the TypeORM data source of one service; never `synchronize`, migrations only. */
export function buildDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    host: options.host,
    port: options.port,
    username: options.user,
    password: options.password,
    database: options.database,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: options.poolSize, Client: options.preparedStatements ? PreparingClient : GuardedClient },
  });
}

/**
 * The data source the TypeORM CLI loads (`npm run migration:*:<service>`): the service's schema,
 * connected with the same variables and defaults the service uses.
 */
export function cliDataSource(
  databaseVariable: string,
  defaultDatabase: string,
  schema: Pick<DatabaseOptions, 'entities' | 'migrations'>,
): DataSource {
  const env = process.env;
  return buildDataSource({
    host: env.DB_HOST || '127.0.0.1',
    port: Number(env.DB_PORT || 5432),
    user: env.DB_USER || 'postgres',
    password: env.DB_PASSWORD || '',
    database: env[databaseVariable] || defaultDatabase,
    poolSize: 2,
    migrationsRun: false,
    ...schema,
  });
}

/**
 * Creates the database if needed, connects, and applies pending migrations while holding a
 * Postgres advisory lock, so replicas that start together migrate once, one after another.
 */
export async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  await ensureDatabase(options);
  const dataSource = buildDataSource(options);
  await dataSource.initialize();
  if (options.migrationsRun) {
    try {
      await runMigrationsLocked(dataSource);
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
  }
  return dataSource;
}

export async function runMigrationsLocked(dataSource: DataSource): Promise<void> {
  // The lock lives on a connection of its own: holding it on one of the pool's would starve
  // a pool of size 1, since the migrations need a connection too.
  const options = dataSource.options as {
    host?: string;
    port?: number;
    username?: string;
    password?: string;
    database?: string;
  };
  const lock = new pg.Client({
    host: options.host,
    port: options.port,
    user: options.username,
    password: options.password,
    database: options.database,
  });
  const lockKey = `migrations:${String(options.database)}`;
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.end().catch(() => undefined); // ending the session releases the lock
  }
}

/** True when every migration the code knows is applied (readiness). */
export async function migrationsApplied(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
