import { Logger } from '@nestjs/common';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDataSourceOptions } from 'typeorm/driver/postgres/PostgresDataSourceOptions.js';
import { connectionBounds } from './connection-bounds.js';
import type { DatabaseOptions } from './database-options.js';
import { ensureDatabase } from './ensure-database.js';

const logger = new Logger('Database');
const MAX_PREPARED = 500;
const superQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
/** What pg rejects a query with when its `query_timeout` passes. */
const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

/**
 * A pool connection that always has an 'error' listener. TypeORM listens only while a query
 * runner holds the connection and drops its listener at the first error; a connection the
 * server kills (restart, failover, pg_terminate_backend) can emit a second one, and an
 * 'error' event nobody listens to ends the process. The failing query still rejects, and the
 * pool discards the broken connection; this only keeps the process alive.
 *
 * A query that hits the client-side `query_timeout` is answered with an error, but pg leaves it
 * in flight on its connection, and every later query on it would queue behind it (forever, on
 * a half-open server). So the connection is destroyed there: the pool then discards it.
 */
class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', (error: Error) => logger.warn(`database connection lost: ${error.message}`));
  }

  override query(...args: unknown[]): never {
    const callback = args.at(-1);
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: Error | null, result: unknown) => {
        this.dropIfTimedOut(error);
        (callback as (error: Error | null, result: unknown) => void)(error, result);
      };
      return superQuery.apply(this, args) as never;
    }
    const result = superQuery.apply(this, args);
    if (result instanceof Promise) result.catch((error: unknown) => this.dropIfTimedOut(error));
    return result as never;
  }

  private dropIfTimedOut(error: unknown): void {
    if (!(error instanceof Error) || error.message !== QUERY_TIMEOUT_MESSAGE) return;
    const stream = (this as unknown as { connection?: { stream?: { destroy(error?: Error): void } } }).connection
      ?.stream;
    stream?.destroy(new Error('no answer within DB_QUERY_TIMEOUT_MS, connection dropped'));
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
      if (name !== undefined) {
        return super.query({ name, text, values }, callback);
      }
    }
    return super.query(...args);
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
    extra: {
      max: options.poolSize,
      Client: options.preparedStatements ? PreparingClient : GuardedClient,
      ...connectionBounds(options.timeouts),
    },
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
 * On failure nothing is left open, and it may be called again on the same data source (the
 * start-up retries it until the database answers).
 */
export async function connectDataSource(dataSource: DataSource, options: DatabaseOptions): Promise<void> {
  try {
    await ensureDatabase(options);
    await dataSource.initialize();
    if (options.migrationsRun) {
      await runMigrationsLocked(dataSource, { host: options.migrationsHost, port: options.migrationsPort });
    }
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy().catch(() => undefined);
    // A failed initialize() can leave its pool behind; the next attempt builds a new one.
    else await (dataSource.driver as { disconnect?: () => Promise<void> }).disconnect?.().catch(() => undefined);
    throw error;
  }
}

/** Builds, connects and migrates a data source at once (tests and tools; apps start through their gate). */
export async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = buildDataSource(options);
  await connectDataSource(dataSource, options);
  return dataSource;
}

/**
 * Applies the data source's pending migrations under an advisory lock, on a one-connection
 * data source of their own without the statement and query timeouts (an index build may take
 * minutes; the connect timeout and keepalive still apply). `direct` is where they connect when
 * the app's own address is a pooler in transaction mode: the lock is held by a session, and
 * such a pooler hands the server connection (still holding it) to the next client.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  direct: { host?: string; port?: number } = {},
): Promise<void> {
  const pooled = dataSource.options as PostgresDataSourceOptions;
  const options = { ...pooled, host: direct.host || pooled.host, port: direct.port || pooled.port };
  const {
    query_timeout: _query,
    statement_timeout: _statement,
    idle_in_transaction_session_timeout: _idle,
    ...connectOnly
  } = (options.extra ?? {}) as pg.ClientConfig & Record<string, unknown>;
  // Without entities: migrations are plain SQL, and building the metadata again slows the start.
  const migrator = new DataSource({ ...options, entities: [], extra: { ...connectOnly, max: 1 } } as typeof pooled);
  // The lock lives on a connection of its own: holding it on one of the pool's would starve
  // a pool of size 1, since the migrations need a connection too.
  const lock = new pg.Client({
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    connectionTimeoutMillis: connectOnly.connectionTimeoutMillis,
    keepAlive: connectOnly.keepAlive,
    keepAliveInitialDelayMillis: connectOnly.keepAliveInitialDelayMillis,
  });
  lock.on('error', (error: Error) => logger.warn(`migration lock connection lost: ${error.message}`));
  const lockKey = `migrations:${String(options.database)}`;
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    await migrator.initialize();
    await migrator.runMigrations({ transaction: 'each' });
  } finally {
    if (migrator.isInitialized) await migrator.destroy().catch(() => undefined);
    await lock.end().catch(() => undefined); // ending the session releases the lock
  }
}

/** True when every migration the code knows is applied (readiness). */
export async function migrationsApplied(dataSource: DataSource): Promise<boolean> {
  return !(await dataSource.showMigrations());
}
