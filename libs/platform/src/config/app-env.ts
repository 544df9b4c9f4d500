import type { ConfigService } from '@nestjs/config';
import type { DatabaseEnv } from './base.env.js';
import type { DatabaseOptions } from '../database/database-options.js';

/** The database settings of an app, from its validated config. */
export function databaseOptionsFrom(
  config: ConfigService<DatabaseEnv, true>,
  database: string,
  schema: Pick<DatabaseOptions, 'entities' | 'migrations'>,
): DatabaseOptions {
  return {
    host: config.get('DB_HOST', { infer: true }),
    port: config.get('DB_PORT', { infer: true }),
    user: config.get('DB_USER', { infer: true }),
    password: config.get('DB_PASSWORD', { infer: true }),
    poolSize: config.get('DB_POOL_SIZE', { infer: true }),
    migrationsRun: config.get('DB_MIGRATIONS_RUN', { infer: true }),
    migrationsHost: config.get('DB_MIGRATIONS_HOST', { infer: true }),
    migrationsPort: config.get('DB_MIGRATIONS_PORT', { infer: true }),
    preparedStatements: config.get('DB_PREPARED_STATEMENTS', { infer: true }),
    timeouts: {
      connectMs: config.get('DB_CONNECT_TIMEOUT_MS', { infer: true }),
      statementMs: config.get('DB_STATEMENT_TIMEOUT_MS', { infer: true }),
      queryMs: config.get('DB_QUERY_TIMEOUT_MS', { infer: true }),
      idleInTransactionMs: config.get('DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', { infer: true }),
      keepAliveInitialDelayMs: config.get('DB_KEEPALIVE_INITIAL_DELAY_MS', { infer: true }),
    },
    database,
    ...schema,
  };
}
